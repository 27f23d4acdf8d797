import { StoredEvent, type ParsedRow, type VisitEvent } from '../../events.js';
import type { EventBytes } from './event-bytes.js';
import { foundFields, scanFields } from '../parse/scan-event-fields.js';
import { commonIsoInstant, eventInstant } from './event-time.js';

/**
 * A valid event for the pattern, or the reason the row is not one. With `keep`, a row read from
 * bytes keeps them as `keep` copies them (a view would pin its whole input chunk or fetch
 * response), so its text is never decoded on the way to a sink that sends bytes, and the heap
 * holds no string per waiting event; without, the event holds the row's text.
 */
export function toVisitEvent(row: ParsedRow, seq: number, keep?: EventBytes): VisitEvent | string {
  const key = eventSortKey(row.value);
  if (typeof key === 'string') return key;
  if (!keep || !row.bytes) return { visitId: key.visitId, time: key.time, seq, text: row.text };
  const at = keep.copy(row.bytes);
  return new StoredEvent(key.visitId, key.time, seq, keep.last, at, at + row.bytes.length);
}

/** What the sort orders a row's value by (visit_id, and event_time as an instant), or the reason it has none. */
export function eventSortKey(value: unknown): { visitId: string; time: number } | string {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `row is not a JSON object (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`;
  }
  const { visit_id: visitId, event_time: eventTime } = value as { visit_id?: unknown; event_time?: unknown };
  if (visitId === undefined) return 'missing visit_id';
  if (typeof visitId !== 'string') return `visit_id must be a string, got ${visitId === null ? 'null' : typeof visitId}`;
  if (visitId === '') return 'visit_id is empty';
  // A key is sent as UTF-8, which has no lone surrogates: \ud800 would become U+FFFD and join another visit.
  if (!visitId.isWellFormed()) return `visit_id holds a lone surrogate (${loneSurrogate(visitId)}), so it has no UTF-8 form and cannot be a Kafka key`;
  const time = eventInstant(eventTime);
  return typeof time === 'string' ? time : { visitId, time };
}

function loneSurrogate(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) i++;
    else if ((unit & 0xf800) === 0xd800) return `\\u${unit.toString(16)}`;
  }
  return '';
}

/** What commonSortKey reads a row with: scanFields' contract, and commonIsoInstant's where `instant` gives a number. */
export interface FieldScanner {
  scan(bytes: Buffer, start: number, end: number): boolean;
  instant?(bytes: Buffer, start: number, end: number): number | undefined;
}

const JS_SCANNER: FieldScanner = { scan: scanFields };

/** Set by commonSortKey: the instant of the row it accepted last. */
export const sortKeyFound = { time: 0 };

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
export function commonSortKey(bytes: Buffer, start: number, end: number, scanner: FieldScanner = JS_SCANNER): string | undefined {
  if (!scanner.scan(bytes, start, end)) return undefined;
  const f = foundFields;
  if (f.visitEscaped || f.visitEnd - f.visitStart < 3 || !f.timeIsString || f.timeEscaped) return undefined;
  // latin1: a string that reads as a timestamp is ASCII, so it is the same as its UTF-8 text.
  const time = scanner.instant?.(bytes, f.timeStart + 1, f.timeEnd - 1) ?? commonIsoInstant(bytes.toString('latin1', f.timeStart + 1, f.timeEnd - 1));
  if (time !== time) return undefined;
  sortKeyFound.time = time;
  return bytes.toString('utf8', f.visitStart + 1, f.visitEnd - 1);
}
