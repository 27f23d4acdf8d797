import { Transform } from 'node:stream';
import { type DedupeStats } from './duplicate-filter.js';
export type { DedupeStats } from './duplicate-filter.js';
export type DedupeEventsStream = Transform & {
    readonly stats: DedupeStats;
};
/**
 * Drops exact duplicates (same visit, same instant, same text) from a sorted stream, keeping
 * the first arrival (see DuplicateFilter).
 */
export declare function dedupeEvents(): DedupeEventsStream;
