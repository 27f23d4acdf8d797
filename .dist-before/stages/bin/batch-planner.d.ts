import { type BinnerOptions, type BinStats } from './binner-options.js';
/** An open delivery batch as the planner sees it; `payload` holds its events however the caller stores them. */
export interface PlannedBatch<T> {
    readonly number: number;
    records: number;
    /** Bytes of the events placed in it. */
    bytes: number;
    readonly payload: T;
}
/**
 * Where each event goes, without holding events: the run-grouping placement shared by the
 * Binner (events as objects) and binToLines (events already formatted as delivery lines).
 * Each visit's k-th event goes to the lowest open batch above the one that took its (k-1)-th
 * and still has room, so no batch holds a visit twice and a visit's batches increase with
 * time; the lowest open batch closes once full (or early, when open batches hold more than
 * maxBufferedBytes), so a long visit's tail shares batches with the visits after it.
 */
export declare class BatchPlanner<T> {
    private readonly newPayload;
    readonly stats: BinStats;
    private readonly maxRecords;
    private readonly maxBytes;
    private readonly maxBuffered;
    /**
     * open[head + i] is batch number firstOpen + i. Closing advances `head` (the array is
     * compacted now and then): shift() would move every open batch, quadratic in a long visit.
     */
    private open;
    private head;
    private firstOpen;
    /** Index in `open` below which every batch is full by records. */
    private lowestWithRoom;
    private bufferedBytes;
    /** Events larger than maxBatchBytes: each needs a batch of its own. */
    private oversizedEvents;
    private fittingBytes;
    private visitId;
    private visitLength;
    private previousBatch;
    private previousTime;
    constructor(options: BinnerOptions, newPayload: (batchNumber: number) => T);
    /**
     * Places one event of `size` bytes (events sorted by visit, then instant) and returns its
     * batch: store the event in its payload, then take the batches this closed with nextClosed().
     */
    place(visitId: string, time: number, size: number, seq?: number): PlannedBatch<T>;
    /** The lowest open batch if it is complete now (full, or memory is over budget), removed; else undefined. */
    nextClosed(): PlannedBatch<T> | undefined;
    /** Closes every open batch, in order. Call once, after the last place(). */
    finish(): PlannedBatch<T>[];
    private fits;
    private openBatch;
    private startOrContinueVisit;
}
