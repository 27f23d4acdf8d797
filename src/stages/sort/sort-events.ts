import { Duplex } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { ExternalSorter, type ExternalSortOptions, type SortStats } from './external-sorter.js';

export type SortEventsStream = Duplex & { readonly stats: SortStats };

/**
 * VisitEvent → VisitEvent in (visit_id, instant, arrival) order, in bounded memory (see
 * ExternalSorter). Nothing comes out until the input ends. Temp files are removed when the
 * stream finishes, fails or is destroyed.
 */
export function sortEvents(options: ExternalSortOptions = {}): SortEventsStream {
  const sorter = new ExternalSorter(options);
  const stream = Duplex.from(async function* (source: AsyncIterable<VisitEvent>) {
    try {
      for await (const event of source) sorter.add(event);
      yield* sorter.sorted();
    } finally {
      sorter.cleanup();
    }
  });
  stream.once('close', () => sorter.cleanup());
  return Object.assign(stream, { stats: sorter.stats });
}
