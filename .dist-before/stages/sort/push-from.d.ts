import type { Readable } from 'node:stream';
/**
 * Pushes values from a synchronous iterator until the stream's buffer is full (the next _read
 * resumes) or the iterator ends (then ends the stream). A throw destroys the stream.
 */
export declare function pushFrom<T>(stream: Readable, iterator: Iterator<T>): void;
