import { Registry } from 'prom-client';
import type { DeliveryObserver } from '../sinks/kafka-sink.js';
/** Counts of a run so far (file runs: late and handedOver stay 0). */
export interface RunCounts {
    read: number;
    delivered: number;
    deadLettered: number;
    deduplicated: number;
    late: number;
    handedOver: number;
}
/** Streaming mode's group state at a scrape. */
export interface ConsumerState {
    /** Records behind the partition's high watermark, per owned partition. */
    lag: Map<number, number>;
    /** When the last micro-batch's offsets were committed (ms since the epoch). */
    lastCommitAt: number | undefined;
}
/**
 * A run's Prometheus metrics, all named bin_packer_*: counters read at scrape time from the
 * run's own counts, histograms of micro-batch duration and delivery-batch acknowledgement
 * latency, gauges of batches in flight, consumer lag and the last commit's age, and Node's
 * default process metrics. One registry per run, nothing global.
 */
export declare class RunMetrics {
    readonly registry: Registry<"text/plain; version=0.0.4; charset=utf-8">;
    readonly delivery: DeliveryObserver;
    private readonly microBatchSeconds;
    constructor(counts: () => RunCounts, consumer?: () => ConsumerState);
    /** A micro-batch was delivered and committed, `seconds` after its first record. */
    microBatch(seconds: number): void;
}
