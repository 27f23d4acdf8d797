import type { Logger } from '../logger.js';
import { type OutgoingRecord, type ProducerPort } from '../kafka/port.js';
export interface PartitionSenderOptions {
    producer: ProducerPort;
    topic: string;
    /** Most record bytes in one send call; a larger share goes out in several parts, in flight together. */
    maxRequestBytes: number;
    /**
     * How long a part may keep being re-sent after retriable errors, from its first send, before
     * the delivery fails: Kafka's delivery.timeout.ms (its default is 120 s).
     */
    deliveryTimeoutMs: number;
    /** First wait before a part is sent again; it doubles per attempt, up to 5 s. */
    retryBackoffMs?: number;
    /** Counted into, live: a caller may hand in an object it shows as progress. */
    stats?: SenderStats;
    logger?: Logger;
}
export interface SenderStats {
    /** Batches whose every record is acknowledged. */
    batches: number;
    /** Records acknowledged by the broker. */
    delivered: number;
    /** Send calls made (each is one produce request per broker involved). */
    requests: number;
    /** Records sent again after a failed call; without idempotence each may be a duplicate. */
    resent: number;
}
export declare class BatchDeliveryError extends Error {
    name: string;
}
/**
 * The sink's sender loop, built like a Kafka producer's: a queue of parts per partition. A
 * partition is ready when every part of its previous batch is acknowledged; then the parts of
 * its next batch may go. Each pump drains every ready part, of all partitions, into as few send
 * calls as maxRequestBytes allows (the client makes one produce request per broker of each),
 * and keeps going as acknowledgements arrive, so several calls may be in flight and a long
 * visit costs about one round trip per batch. Retries stay inside a part: nothing later on
 * its partition goes before it settles.
 */
export declare class PartitionSender {
    private readonly options;
    readonly stats: SenderStats;
    /** Unsettled parts per partition, oldest batch first; a partition without any has no entry. */
    private readonly queues;
    private readonly unsettled;
    private failure;
    private retryTimer;
    private pumpScheduled;
    /** Send calls not yet answered. */
    private readonly inFlight;
    constructor(options: PartitionSenderOptions);
    /**
     * Queues a delivery batch's records, grouped by partition, behind the batches submitted
     * before it on the same partitions. Resolves when all of them are acknowledged.
     */
    submit(batch: number, byPartition: ReadonlyMap<number, OutgoingRecord[]>): Promise<void>;
    /** Resolves once no send call is waiting for an answer: its records are then counted or not. */
    idle(): Promise<void>;
    /** Fails every unsettled batch: nothing more is sent. */
    abort(error: Error): void;
    private split;
    /** Pumps once the current task's submits and acknowledgements are all in, so they share calls. */
    private schedulePump;
    /** Sends every part whose partition is ready, in calls of at most maxRequestBytes. */
    private pump;
    private dispatch;
    private acknowledged;
    private failed;
    private fail;
}
