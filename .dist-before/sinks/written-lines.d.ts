import { Writable } from 'node:stream';
/**
 * The end of a file run that writes NDJSON delivery lines: passes chunks of lines to `output`
 * (stdout, a file) and counts the lines `output` confirmed written, so a run that fails midway
 * (ENOSPC, a closed pipe) reports what is really there, not what was handed over. Chunks go
 * on at once, under `output`'s own backpressure, so a file stream still gathers them into one
 * writev; one waits here only while `output` asks to wait.
 */
export declare class WrittenLines extends Writable {
    private readonly output;
    readonly stats: {
        delivered: number;
    };
    private readonly keepsOutputOpen;
    private confirmedBytes;
    private pending;
    private settled;
    private failed;
    constructor(output: Writable);
    _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
    _final(callback: (error?: Error | null) => void): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
}
