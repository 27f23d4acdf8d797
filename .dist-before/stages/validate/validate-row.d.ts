import type { ParsedRow, VisitEvent } from '../../events.js';
/** A valid event for the pattern, or the reason the row is not one. */
export declare function toVisitEvent(row: ParsedRow, seq: number): VisitEvent | string;
/** What the sort orders a row's value by (visit_id, and event_time as an instant), or the reason it has none. */
export declare function eventSortKey(value: unknown): {
    visitId: string;
    time: number;
} | string;
/** What commonSortKey reads a row with: scanFields' contract, and commonIsoInstant's where `instant` gives a number. */
export interface FieldScanner {
    scan(bytes: Buffer, start: number, end: number): boolean;
    instant?(bytes: Buffer, start: number, end: number): number | undefined;
}
/** Set by commonSortKey: the instant of the row it accepted last. */
export declare const sortKeyFound: {
    time: number;
};
/**
 * The visit_id of a row in the layout nearly every event has (a valid JSON object, visit_id a
 * non-empty string and event_time a YYYY-MM-DDThh:mm:ss(Z|±hh:mm) string, neither escaped),
 * with its instant left in sortKeyFound.time; undefined for any other row, valid or not, which
 * then takes the full path (parseEventRow, eventSortKey) that also explains what is wrong.
 * It makes no object but the visit_id: the sort workers call it for every row (a LineTaker),
 * and per-row objects took a fifth of their time. `bytes[start, end)` must be valid UTF-8;
 * the scan may look at bytes[end] (a newline or CR). `scanner` does the reading: by default
 * scanFields and commonIsoInstant, or a WasmFieldScanner for rows in its block.
 */
export declare function commonSortKey(bytes: Buffer, start: number, end: number, scanner?: FieldScanner): string | undefined;
