import type { ParsedRow, VisitEvent } from '../../events.js';
import { eventInstant } from './event-time.js';

/** A valid event for the pattern, or the reason the row is not one. */
export function toVisitEvent(row: ParsedRow, seq: number): VisitEvent | string {
  const key = eventSortKey(row.value);
  return typeof key === 'string' ? key : { visitId: key.visitId, time: key.time, seq, text: row.text };
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
  const time = eventInstant(eventTime);
  return typeof time === 'string' ? time : { visitId, time };
}
