import { Transform } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { mapChunk, type Chunk } from '../chunk.js';

export interface FilterStats {
  dropped: number;
}

export type FilterEventsStream = Transform & { readonly stats: FilterStats };

/** Passes the events `keep` accepts and counts the others. */
export function filterEvents(keep: (event: VisitEvent) => boolean): FilterEventsStream {
  const stats: FilterStats = { dropped: 0 };
  const stream = new Transform({
    objectMode: true,
    transform(chunk: Chunk<VisitEvent>, _encoding, callback) {
      callback(
        null,
        mapChunk(chunk, (event) => {
          if (keep(event)) return event;
          stats.dropped++;
          return undefined;
        }),
      );
    },
  });
  return Object.assign(stream, { stats });
}
