import { Transform } from 'node:stream';
import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
import type { ParsedRow, VisitEvent } from '../../events.js';
import { mapChunk, type Chunk } from '../chunk.js';
import { EventBytes } from './event-bytes.js';
import { toVisitEvent } from './validate-row.js';

export interface ValidateStats {
  valid: number;
  invalid: number;
}

export type ValidateEventsStream = Transform & { readonly stats: ValidateStats };

/**
 * ParsedRow → VisitEvent. Rows without a non-empty string visit_id or an event_time instant
 * go to the dead-letter sink with the reason and the row's position. Numbers the events in
 * arrival order (`seq`), which keeps the sort stable.
 */
export function validateEvents(options: { deadLetters: DeadLetterSink }): ValidateEventsStream {
  const stats: ValidateStats = { valid: 0, invalid: 0 };
  let seq = 0;
  const keep = new EventBytes();
  const stream = new Transform({
    objectMode: true,
    transform(chunk: Chunk<ParsedRow>, _encoding, callback) {
      let events: Chunk<VisitEvent> | undefined;
      try {
        events = mapChunk(chunk, (row) => {
          const event = toVisitEvent(row, seq++, keep);
          if (typeof event !== 'string') {
            stats.valid++;
            return event;
          }
          stats.invalid++;
          options.deadLetters.write({ reason: event, position: row.position, raw: row.text });
          return undefined;
        });
      } catch (error) {
        return callback(error as Error);
      }
      callback(null, events);
    },
  });
  return Object.assign(stream, { stats });
}
