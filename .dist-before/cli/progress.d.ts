import type { PipelineProgress } from '../run-pipeline.js';
/** Which part of the job is running, from the stages' counters. */
export declare function phaseOf(progress: PipelineProgress): 'reading' | 'sorting' | 'merging' | 'delivering' | 'done';
/**
 * A one-line progress display on a TTY stderr, refreshed a few times a second:
 * phase, rows, rate and bytes read of the total.
 */
export declare function startProgressLine(progress: PipelineProgress, totalBytes: number | undefined, stream?: NodeJS.WriteStream): () => void;
export declare function formatBytes(bytes: number): string;
