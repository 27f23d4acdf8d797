import type { BinnerOptions, BinStats } from '../bin/binner-options.js';
import { DeliveryLines } from './delivery-lines.js';
import type { NdjsonSinkStats } from './delivery-lines.js';
/**
 * The binner with each open batch kept as delivery lines (bytes) rather than event objects:
 * place an event, write its line into the batch it got, and hand out batches' chunks as they
 * close, in order. The core of binToNdjson and mergeToNdjson.
 */
export declare class LinePacker {
    readonly stats: NdjsonSinkStats;
    /** deliveryKey of the visit placed last: a visit's events come one after another, each for a different batch. */
    key: Buffer;
    private keyOf;
    private readonly planner;
    constructor(options: BinnerOptions);
    get binStats(): BinStats;
    /** Places an event; returns its batch's lines, to add its line to with `this.key`. Throws on unsorted input. */
    place(visitId: string, time: number, size: number, seq: number): DeliveryLines;
    /** Hands the chunks of every batch that is now complete to `push`, lowest first; true if there was one. */
    drainClosed(push: (chunk: Buffer) => void): boolean;
    /** After the last event: hands out every open batch. */
    finish(push: (chunk: Buffer) => void): void;
    private emit;
}
