import { Transform } from 'node:stream';
import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
export interface ValidateStats {
    valid: number;
    invalid: number;
}
export type ValidateEventsStream = Transform & {
    readonly stats: ValidateStats;
};
/**
 * ParsedRow → VisitEvent. Rows without a non-empty string visit_id or an event_time instant
 * go to the dead-letter sink with the reason and the row's position. Numbers the events in
 * arrival order (`seq`), which keeps the sort stable.
 */
export declare function validateEvents(options: {
    deadLetters: DeadLetterSink;
}): ValidateEventsStream;
