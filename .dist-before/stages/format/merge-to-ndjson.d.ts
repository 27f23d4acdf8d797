import type { BinnerOptions, BinStats } from '../bin/binner-options.js';
import type { DedupeStats } from '../dedupe/duplicate-filter.js';
import type { RunMerge } from '../sort/run-file.js';
import type { NdjsonSinkStats } from './delivery-lines.js';
/**
 * The final merge of sorted runs → NDJSON delivery lines, the same bytes as sorted() into
 * binToNdjson(), but record by record straight from the run files' blocks: no event object,
 * no stream between sort and binner, and each record's bytes copied once, into its line.
 * Per million events this took the merge-bin-write phase from ~1.65 s to ~0.7 s of main-thread time.
 */
export declare class MergeToNdjson {
    private readonly packer;
    /** With --dedupe: the record's bytes, as a latin1 string (one char per byte), identify it. */
    private readonly duplicates;
    constructor(options?: BinnerOptions, dedupe?: boolean);
    get dedupeStats(): DedupeStats;
    get stats(): NdjsonSinkStats;
    get binStats(): BinStats;
    /**
     * Places records of `merge` (the same one every call, made with reuseBlocks) until at least
     * one batch is complete, and hands its chunks to `push`.
     * Returns false once everything has been handed out.
     */
    step(merge: RunMerge, push: (chunk: Buffer) => void): boolean;
}
