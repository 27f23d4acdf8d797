import type { Readable } from 'node:stream';
/** Takes `length` bytes of `bytes`; the block may be reused once it returns. */
export type Append = (bytes: Buffer, length: number) => void;
/** Copies a Readable to `append`; an abort destroys it, so a silent source cannot hold the run. */
export declare function spoolStream(source: Readable, append: Append, signal: AbortSignal): Promise<void>;
/**
 * Copies stdin to `append`, through one reused block where stdin allows: as a stream, each 64 KiB
 * chunk is a new Buffer, and those not yet collected when the workers start raise peak RSS
 * (bench/README.md). A pipe is read with a socket that an abort can destroy, so Ctrl-C ends the
 * run even while the writer is silent.
 */
export declare function spoolStdin(append: Append, signal: AbortSignal): Promise<void>;
/**
 * The path of a file stream that has read nothing yet and covers its whole regular file: the
 * workers can read that file by offset, with no copy.
 */
export declare function wholeFileBehind(source: Readable): string | undefined;
