import { Readable } from 'node:stream';
import type { ParsedRow } from '../events.js';
/**
 * A Readable that a producer outside the stream world pushes rows into: `write` resolves
 * once the stream has room again, so a Kafka consumer feeding it waits for the stages
 * downstream instead of buffering without bound.
 */
export declare class RowFeed extends Readable {
    private wake;
    constructor();
    write(row: ParsedRow): Promise<void>;
    _read(): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    private wakeWriter;
}
