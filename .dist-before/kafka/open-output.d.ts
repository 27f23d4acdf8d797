import type { KafkaClient, ProducerPort, ProducerSettings } from './port.js';
export interface OpenOutputOptions {
    topic: string;
    /** Create the topic with this many partitions when it is missing; otherwise a missing topic is an error. */
    createPartitions?: number;
    /** Give up after this long (default 30 s). */
    connectTimeoutMs?: number;
    /** For error messages. */
    brokers: string;
    producer: ProducerSettings;
}
export declare class KafkaUnavailableError extends Error {
    name: string;
}
/**
 * Checks (or creates) the output topic, reads its partition count and connects a producer,
 * failing with a clear message within connectTimeoutMs when the brokers cannot be reached,
 * never answer, or the topic does not exist.
 */
export declare function openOutput(client: KafkaClient, options: OpenOutputOptions): Promise<{
    producer: ProducerPort;
    partitions: number;
}>;
