import { Transform } from 'node:stream';
import type { VisitEvent } from '../../events.js';

export interface FilterStats {
  dropped: number;
}

export type FilterEventsStream = Transform & { readonly stats: FilterStats };

/** Passes the events `keep` accepts and counts the others. */
export function filterEvents(keep: (event: VisitEvent) => boolean): FilterEventsStream {
  const stats: FilterStats = { dropped: 0 };
  const stream = new Transform({
    objectMode: true,
    transform(event: VisitEvent, _encoding, callback) {
      if (keep(event)) return callback(null, event);
      stats.dropped++;
      callback();
    },
  });
  return Object.assign(stream, { stats });
}
