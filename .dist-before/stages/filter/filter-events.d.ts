import { Transform } from 'node:stream';
import type { VisitEvent } from '../../events.js';
export interface FilterStats {
    dropped: number;
}
export type FilterEventsStream = Transform & {
    readonly stats: FilterStats;
};
/** Passes the events `keep` accepts and counts the others. */
export declare function filterEvents(keep: (event: VisitEvent) => boolean): FilterEventsStream;
