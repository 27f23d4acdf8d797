import type { ProducerPort } from '../kafka/port.js';
import type { DeadLetter, DeadLetterSink } from './dead-letter.js';
/**
 * Dead letters as records of a Kafka topic (streaming mode's --dead-letter-topic): value the
 * letter's JSON, key the source partition. Letters are held until flush(), which the job
 * awaits before committing the offsets of the rows they came from (in exactly-once runs, inside
 * the micro-batch's transaction).
 */
export declare class DeadLetterTopic implements DeadLetterSink {
    private readonly producer;
    readonly topic: string;
    private pending;
    private written;
    private readonly partitionOf;
    constructor(producer: ProducerPort, topic: string, 
    /** The topic's partition count: letters are keyed and partitioned as a Java producer would. */
    partitions: number);
    write(letter: DeadLetter): void;
    get count(): number;
    flush(via?: ProducerPort): Promise<void>;
}
