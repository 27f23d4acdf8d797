import { Readable } from 'node:stream';
import type { ParsedRow } from '../events.js';
/**
 * A Readable that a producer outside the stream world pushes rows into: `write` returns a
 * promise to wait on when the stream is full (it resolves once there is room again), so a
 * Kafka consumer feeding it waits for the stages downstream instead of buffering without
 * bound; while there is room it returns undefined, and costs no promise per row.
 */
export declare class RowFeed extends Readable {
    private wake;
    constructor();
    write(row: ParsedRow): Promise<void> | undefined;
    _read(): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    private wakeWriter;
}
