import type { DeliveryBatch, VisitEvent } from '../../events.js';
import type { BinnerOptions, BinStats } from './binner-options.js';
export { DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_RECORDS, DEFAULT_MAX_BUFFERED_BYTES, type BinnerOptions, type BinStats } from './binner-options.js';
/**
 * Run-grouping binner over events sorted by (visit, instant), placing them with BatchPlanner.
 * Unlike the seed (k-th event of every visit into batch k, all batches in memory), batches
 * fill as the stream goes and come out in order, complete, numbered from firstBatch (1
 * unless given), with the count near its lower bound.
 */
export declare class Binner {
    private readonly planner;
    constructor(options?: BinnerOptions);
    get stats(): BinStats;
    /** Places one event; returns the batches this closed (possibly none), lowest first. */
    add(event: VisitEvent): DeliveryBatch[];
    /** Closes every open batch, in order. Call once, after the last add(). */
    finish(): DeliveryBatch[];
}
