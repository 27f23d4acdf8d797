export declare const DEFAULT_KAFKA_VERSION = "3.9.2";
/** kafka/pom.xml sits two levels above both src/kafka-local and dist/kafka-local. */
export declare const KAFKA_POM: string;
export declare function kafkaMajor(version: string): number;
export interface ClasspathOptions {
    version?: string;
    /** Maven profiles on top of the ones the version needs, e.g. `tools` for ProducerPerformance. */
    profiles?: string[];
}
/**
 * Resolves Kafka's jars from Maven Central (cached in ~/.m2, outside the repository) and
 * returns the Java classpath. The classpath string itself is cached per version and profile
 * set, so later starts skip Maven entirely while every jar it names still exists.
 */
export declare function resolveKafkaClasspath(options?: ClasspathOptions): Promise<string>;
