import { Writable } from 'node:stream';
import { type DeliveryBatch } from '../events.js';
import type { ProducerPort } from '../kafka/port.js';
import type { Logger } from '../logger.js';
export { BatchDeliveryError } from './partition-sender.js';
export type DeliveryBarrier = 'batch' | 'partition';
export interface KafkaSinkOptions {
    /** A producer behind the client port (KafkaClient.producer, or kafkajsProducer). The sink does not close it. */
    producer: ProducerPort;
    topic: string;
    /** The topic's partition count (KafkaClient.partitionCount): records are partitioned as Java's producer does. */
    partitions: number;
    /**
     * Most record bytes in one send call. A delivery batch's share of a partition larger than
     * this goes out in several calls, in flight together, and still counts as one share. The
     * default (900 KiB) stays under the broker's default message.max.bytes (1 MiB).
     */
    maxRequestBytes?: number;
    /**
     * How long a share may keep being re-sent after retriable errors (timeouts, a broker
     * restarting) before the delivery fails: Kafka's delivery.timeout.ms (default 120 s).
     */
    deliveryTimeoutMs?: number;
    /**
     * `partition` (default): batch n+1's records for a partition go once batch n's records for
     * that partition are acknowledged, so partitions move independently. `batch`: batch n+1
     * starts once all of batch n is acknowledged.
     */
    barrier?: DeliveryBarrier;
    /** With the `partition` barrier: batches accepted ahead of full acknowledgement (default 4). */
    maxBatchesInFlight?: number;
    logger?: Logger;
    /** Told of each delivery batch's submission and settlement (metrics). */
    observer?: DeliveryObserver;
}
/** What KafkaSink reports each delivery batch's life to. */
export interface DeliveryObserver {
    submitted(): void;
    /** The batch is acknowledged, or failed, `seconds` after it was submitted. */
    settled(seconds: number): void;
}
export interface KafkaSinkStats {
    /** Batches whose every record is acknowledged. */
    batches: number;
    /** Records acknowledged by the broker. */
    delivered: number;
    /** Send calls (each one produce request per broker involved). */
    requests: number;
    /** Records sent again after a failed send; without idempotence each may be a duplicate. */
    resent: number;
    /** Seconds from the first batch's arrival to the last acknowledgement: the delivery phase alone. */
    deliverySeconds: number;
}
/**
 * A Writable of DeliveryBatches that produces them to Kafka in order. No batch holds a visit
 * twice, so all of a batch's records may be in flight at once; what must wait is the next
 * batch. The PartitionSender holds each partition's next share until its previous one is
 * acknowledged (a visit's events share a partition: murmur2 of the key), and the `batch`
 * barrier also holds the whole next batch. The write callback waits for acknowledgements, so
 * a slow broker pauses the whole pipeline. Records: key visit_id, value the event's original
 * bytes, header delivery_batch (and `late: true` for a late event in streaming mode).
 */
export declare class KafkaSink extends Writable {
    readonly stats: KafkaSinkStats;
    /** Also takes chunks of delivery lines: see _write. */
    readonly acceptsDeliveryLines = true;
    private readonly sender;
    private readonly partitionOf;
    private readonly barrier;
    private readonly maxBatchesInFlight;
    private readonly unsettled;
    private firstBatchAt;
    private lineReader;
    private stopping;
    private failure;
    private readonly observer;
    constructor(options: KafkaSinkOptions);
    /**
     * Starts no further batch, and resolves once the batches being delivered are acknowledged
     * or have failed: what a signal handler waits for before tearing down.
     */
    stop(): Promise<void>;
    /**
     * A DeliveryBatch, or a chunk of delivery lines (the NDJSON sink's format, as a merge on a
     * worker thread writes them: see DeliveryLineReader).
     */
    _write(chunk: DeliveryBatch | Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
    /**
     * Submits each batch once fewer than maxBatchesInFlight are unsettled (with the `batch`
     * barrier: once the one before is acknowledged), and accepts the next write on the same terms.
     */
    private deliver;
    private whenFewerInFlight;
    private track;
    _final(callback: (error?: Error | null) => void): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    private recordsByPartition;
}
export declare function kafkaSink(options: KafkaSinkOptions): KafkaSink;
