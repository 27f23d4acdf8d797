import { Duplex } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { type ExternalSortOptions, type SortStats } from './external-sorter.js';
/**
 * VisitEvent → VisitEvent in (visit_id, instant, arrival) order, in bounded memory (see
 * ExternalSorter). Nothing comes out until the input ends. Temp files are removed when the
 * stream finishes, fails or is destroyed.
 */
export declare class SortEventsStream extends Duplex {
    private readonly sorter;
    private sorted;
    constructor(options?: ExternalSortOptions);
    get stats(): SortStats;
    _write(event: VisitEvent, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void;
    _writev(chunks: {
        chunk: VisitEvent;
    }[], callback: (error?: Error | null) => void): void;
    _final(callback: (error?: Error | null) => void): void;
    _read(): void;
    _destroy(error: Error | null, callback: (error?: Error | null) => void): void;
    private pump;
}
export declare function sortEvents(options?: ExternalSortOptions): SortEventsStream;
