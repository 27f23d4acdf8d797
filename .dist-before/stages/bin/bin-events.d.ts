import { Transform } from 'node:stream';
import { type BinnerOptions, type BinStats } from './binner.js';
export type BinEventsStream = Transform & {
    readonly stats: BinStats;
};
/** Sorted VisitEvent → DeliveryBatch, in increasing batch number (see Binner). */
export declare function binEvents(options?: BinnerOptions): BinEventsStream;
