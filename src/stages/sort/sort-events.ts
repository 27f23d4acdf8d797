import { Duplex } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { pushFrom } from './push-from.js';
import { ExternalSorter, type ExternalSortOptions, type SortStats } from './external-sorter.js';

/**
 * VisitEvent → VisitEvent in (visit_id, instant, arrival) order, in bounded memory (see
 * ExternalSorter). Nothing comes out until the input ends. Temp files are removed when the
 * stream finishes, fails or is destroyed.
 */
export class SortEventsStream extends Duplex {
  private readonly sorter: ExternalSorter;
  private sorted: Iterator<VisitEvent> | undefined;

  constructor(options: ExternalSortOptions = {}) {
    super({ objectMode: true, writableHighWaterMark: 256, readableHighWaterMark: 256 });
    this.sorter = new ExternalSorter(options);
  }

  get stats(): SortStats {
    return this.sorter.stats;
  }

  override _write(event: VisitEvent, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      this.sorter.add(event);
    } catch (error) {
      return callback(error as Error);
    }
    callback();
  }

  override _writev(chunks: { chunk: VisitEvent }[], callback: (error?: Error | null) => void): void {
    try {
      for (const { chunk } of chunks) this.sorter.add(chunk);
    } catch (error) {
      return callback(error as Error);
    }
    callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.sorted = this.sorter.sorted();
    callback();
    this.pump();
  }

  override _read(): void {
    if (this.sorted) this.pump();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.sorter.cleanup();
    callback(error);
  }

  private pump(): void {
    pushFrom(this, this.sorted!);
  }
}

export function sortEvents(options: ExternalSortOptions = {}): SortEventsStream {
  return new SortEventsStream(options);
}
