export interface BinnerOptions {
    /** Most events in one delivery batch (default 2,000: with the per-partition barrier, the fastest into Kafka in bench/barriers.mjs). */
    maxBatchRecords?: number;
    /** Most bytes of event text in one batch (default 16 MiB); a larger single event gets a batch of its own. */
    maxBatchBytes?: number;
    /** Bytes of events held in open batches before the lowest one is closed early (default 32 MiB). */
    maxBufferedBytes?: number;
    /**
     * Number of the first batch (default 1). Streaming mode continues the numbering across
     * micro-batches, so a visit's delivery_batch keeps increasing from one to the next.
     */
    firstBatch?: number;
}
export interface BinStats {
    events: number;
    visits: number;
    longestVisit: number;
    batches: number;
    /** Batches closed before they were full, to keep buffered memory under maxBufferedBytes. */
    closedEarly: number;
    /**
     * No packing can use fewer batches: max(longest visit, events ÷ max records,
     * oversized events + bytes of the others ÷ max bytes).
     */
    lowerBound: number;
}
/** Counts before any event is placed. */
export declare function emptyBinStats(): BinStats;
export declare const DEFAULT_MAX_BATCH_RECORDS = 2000;
export declare const DEFAULT_MAX_BATCH_BYTES: number;
export declare const DEFAULT_MAX_BUFFERED_BYTES: number;
