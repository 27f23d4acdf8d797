import { Transform } from 'node:stream';
import type { BinnerOptions, BinStats } from '../stages/bin/binner-options.js';
import type { NdjsonSinkStats } from './ndjson-sink.js';
export type BinToNdjsonStream = Transform & {
    readonly stats: NdjsonSinkStats;
    readonly binStats: BinStats;
};
/**
 * Sorted VisitEvent → NDJSON delivery lines: binEvents() followed by ndjsonSink(), in one stage
 * and with the same bytes out. Each event is written as its delivery line the moment the
 * binner places it, so open batches hold bytes, not event objects. Events then die young:
 * with objects held in open batches, each one outlived the young generation and was copied
 * into the old one, and the collector ran a full mark every ~50 ms.
 */
export declare function binToNdjson(options?: BinnerOptions): BinToNdjsonStream;
