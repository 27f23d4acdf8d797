import type { Position } from '../events.js';
import type { ProducerPort } from '../kafka/port.js';
/** A row that cannot be delivered, and why. */
export interface DeadLetter {
    reason: string;
    position: Position;
    /** The row's text; absent when it was not valid UTF-8 (then rawBase64). */
    raw?: string;
    rawBase64?: string;
    /** Set when the row exceeded the size limit: raw holds its first bytes, size its full length. */
    truncated?: boolean;
    size?: number;
}
/** Where stages put rows they reject. Writes must not be lost: sinks flush on close(). */
export interface DeadLetterSink {
    write(letter: DeadLetter): void;
    readonly count: number;
    /**
     * Resolves once every letter written so far is stored: streaming mode awaits it before
     * committing offsets. A sink that produces to Kafka sends through `via` when given (the
     * micro-batch's transaction, in exactly-once runs).
     */
    flush?(via?: ProducerPort): Promise<void>;
    /** write() for a letter already serialized as JSON.stringify(letter) (no newline): a sink that stores JSON skips a parse and a stringify. */
    writeSerialized?(json: string): void;
}
/** Keeps dead letters in memory: for tests and callers that inspect them. */
export declare class DeadLetterCollector implements DeadLetterSink {
    readonly letters: DeadLetter[];
    write(letter: DeadLetter): void;
    get count(): number;
}
/**
 * NDJSON dead-letter file, created at the first bad row (a clean run leaves no empty file).
 * One line per row: {"reason", "position", "raw" | "rawBase64", ...}.
 */
export declare class DeadLetterFile implements DeadLetterSink {
    readonly path: string;
    private readonly options;
    private stream;
    private written;
    private failure;
    /** `append` keeps what the file holds (streaming mode, whose restarts must not erase letters). */
    constructor(path: string, options?: {
        append?: boolean;
    });
    write(letter: DeadLetter): void;
    writeSerialized(json: string): void;
    get count(): number;
    flush(): Promise<void>;
    private fail;
    /** Flushes and closes the file; resolves once every line is on disk. */
    close(): Promise<void>;
}
