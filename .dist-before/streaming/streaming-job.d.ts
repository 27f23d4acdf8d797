import type { Compression, KafkaClient, OutgoingRecord, ProducerPort } from '../kafka/port.js';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { Logger } from '../logger.js';
import { type KafkaSinkOptions } from '../sinks/kafka-sink.js';
import type { BinnerOptions } from '../stages/bin/binner.js';
import type { LatePolicy } from '../stages/late/mark-late-events.js';
import type { ExternalSortOptions } from '../stages/sort/external-sorter.js';
import { type MicroBatchSummary } from './micro-batch.js';
import type { Guarantee } from './guarantee.js';
import { type VisitWatermarksOptions } from '../stages/late/visit-watermarks.js';
export interface StreamingJobOptions {
    /** The client behind the port (@platformatic/kafka): the consumer group, and transactions. */
    client: KafkaClient;
    /** A producer for the output topic in at-least-once runs (and the dead-letter topic). The job does not close it. */
    producer: ProducerPort;
    /**
     * `exactly-once` (default): each micro-batch's output, its dead-letter-topic records and its
     * input offsets commit in one transaction, fenced by the group generation; read_committed
     * consumers see every event once. `at-least-once`: offsets are committed after delivery,
     * and a crash delivers the micro-batch again.
     */
    guarantee?: Guarantee;
    /** exactly-once: the broker aborts a transaction open longer (default: 3 trigger intervals, at least 60 s, at most 15 min). */
    transactionTimeoutMs?: number;
    /** exactly-once: the output's compression (the at-least-once producer has its own). */
    compression?: Compression;
    inputTopic: string;
    outputTopic: string;
    groupId: string;
    /** A micro-batch closes this long after its first record (default 20 s)... */
    triggerIntervalMs?: number;
    /** ...or once it holds this many records, whichever comes first (default: no count limit). */
    triggerEvents?: number;
    /** Where a group without committed offsets starts (default earliest). */
    startFrom?: 'earliest' | 'latest';
    /** Consumer group session timeout (default 30 s); a dead instance's partitions move after it. */
    sessionTimeoutMs?: number;
    deadLetters: DeadLetterSink;
    /**
     * The late-event policy and state bounds. `changelogTopic`: keep the state in this compacted
     * topic (created when missing, partitioned like the input), so that it survives restarts and
     * rebalances; without it the state lives in this process only.
     */
    late?: {
        policy?: LatePolicy;
        changelogTopic?: string;
    } & VisitWatermarksOptions;
    sink: Omit<KafkaSinkOptions, 'producer' | 'topic' | 'logger'>;
    dedupe?: boolean;
    maxRowBytes?: number;
    sort?: ExternalSortOptions;
    bin?: Omit<BinnerOptions, 'firstBatch'>;
    logger: Logger;
    /** Told of each micro-batch committed (or not), `seconds` after its first record (metrics). */
    onMicroBatch?: (seconds: number) => void;
    /** Told when a micro-batch reaches each moment of its delivery, and awaited (tests pause the process here). */
    onMoment?: (moment: DeliveryMoment, microBatch: number) => void | Promise<void>;
}
/** `sort`: its input is closed and being sorted; `delivery`: its first send went out; `commit`: delivered, offsets not yet committed. */
export type DeliveryMoment = 'sort' | 'delivery' | 'commit';
/** Where the job stands, for metrics and health probes. */
export interface StreamingStatus {
    /** True while the consumer is a live member of its group: joined, and heartbeating within the session timeout. */
    inGroup: boolean;
    /** Per owned partition this instance has delivered from: records past its delivered offset, up to the high watermark of the last fetch. */
    lag: Map<number, number>;
    /** When offsets were last committed (ms since the epoch). */
    lastCommitAt: number | undefined;
    /** When the oldest micro-batch not yet committed (open, or being delivered) got its first record. */
    openSince: number | undefined;
}
/** The micro-batch counts that add up over a job. */
declare const SUMMED: readonly ["read", "delivered", "deadLettered", "deduplicated", "handedOver", "late", "batches"];
/** Sums of the micro-batches' counts (see MicroBatchSummary). */
export interface StreamingTotals extends Pick<MicroBatchSummary, (typeof SUMMED)[number]> {
    microBatches: number;
    /** Micro-batches whose offsets could not be committed (at-least-once: their records may be delivered again). */
    uncommitted: number;
    /** Micro-batches whose transaction was aborted (exactly-once: their records are read and delivered again). */
    aborted: number;
}
export interface StreamingJob {
    readonly totals: StreamingTotals;
    status(): StreamingStatus;
    /** Closes the current micro-batch now, delivers and commits it, and leaves the group. */
    stop(): Promise<StreamingTotals>;
    /** Settles when the job stops: resolved after stop(), rejected when it fails. */
    readonly done: Promise<StreamingTotals>;
}
export declare function defaultTransactionTimeoutMs(triggerIntervalMs: number): number;
/**
 * Streaming mode: consumes the input topic in micro-batches and runs each through the ordering
 * stages into the output topic. At-least-once: a micro-batch's offsets are committed once all
 * its delivery batches are acknowledged, so a crash delivers again and never loses.
 * Exactly-once: its output, dead-letter-topic records and offsets commit in one transaction,
 * fenced by the group generation (KIP-447); an abort reads everything again from the group's
 * commits, and undoes the late-event marks it made.
 *
 * Reading positions are the job's own: a partition newly assigned starts at the group's stable
 * committed offset (an open transaction of a previous owner is waited for). Every assignment
 * starts a new epoch; a record remembers the epoch it was read in, and when a micro-batch's
 * sorted events come out, those of partitions revoked since are dropped (handed over: the new
 * owner reads them from the committed offset). Offsets are committed only for partitions owned
 * without a break since they were read; in exactly-once runs a hand-over aborts the micro-batch.
 * Delivery batch numbers continue across micro-batches and instances: each commit carries the
 * highest number used, and an instance taking partitions over starts above what their commits say.
 */
export declare function startStreamingJob(options: StreamingJobOptions): Promise<StreamingJob>;
/** The sink's producer in exactly-once runs: sends through the micro-batch's transaction, set when it is delivered. */
export declare class DeferredProducer implements ProducerPort {
    target: ProducerPort | undefined;
    send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
    close(): Promise<void>;
}
export {};
