import { Transform } from 'node:stream';
import type { VisitEvent } from '../../events.js';

export interface DedupeStats {
  duplicates: number;
}

export type DedupeEventsStream = Transform & { readonly stats: DedupeStats };

/**
 * Drops exact duplicates (same visit, same instant, same bytes) from a sorted stream, keeping
 * the first arrival. Sorted input puts duplicates next to each other, so only the events of
 * one (visit, instant) are remembered at a time.
 */
export function dedupeEvents(): DedupeEventsStream {
  const stats: DedupeStats = { duplicates: 0 };
  let visitId: string | undefined;
  let time = Number.NaN;
  let seen = new Set<string>();
  const stream = new Transform({
    objectMode: true,
    transform(event: VisitEvent, _encoding, callback) {
      if (event.visitId !== visitId || event.time !== time) {
        visitId = event.visitId;
        time = event.time;
        seen = new Set([event.text]);
        callback(null, event);
      } else if (seen.has(event.text)) {
        stats.duplicates++;
        callback();
      } else {
        seen.add(event.text);
        callback(null, event);
      }
    },
  });
  return Object.assign(stream, { stats });
}
