import { Transform } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { mapChunk, type Chunk } from '../chunk.js';
import { DuplicateFilter, type DedupeStats } from './duplicate-filter.js';

export type { DedupeStats } from './duplicate-filter.js';

export type DedupeEventsStream = Transform & { readonly stats: DedupeStats };

/**
 * Drops exact duplicates (same visit, same instant, same text) from a sorted stream, keeping
 * the first arrival (see DuplicateFilter).
 */
export function dedupeEvents(): DedupeEventsStream {
  const filter = new DuplicateFilter();
  const stream = new Transform({
    objectMode: true,
    transform(chunk: Chunk<VisitEvent>, _encoding, callback) {
      callback(
        null,
        mapChunk(chunk, (event) => (filter.repeats(event.visitId, event.time, event.text) ? undefined : event)),
      );
    },
  });
  return Object.assign(stream, { stats: filter.stats });
}
