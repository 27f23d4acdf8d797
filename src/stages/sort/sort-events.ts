import { Duplex } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { forEachIn, type Chunk } from '../chunk.js';
import { pushChunksFrom, pushFrom } from './push-from.js';
import { ExternalSorter, type ExternalSortOptions, type SortStats } from './external-sorter.js';

/** Sorted events per chunk, when the input came in chunks. */
const SORTED_CHUNK_EVENTS = 256;

/**
 * VisitEvent → VisitEvent (or chunks of them → chunks) in (visit_id, instant, arrival) order, in bounded memory (see
 * ExternalSorter). Nothing comes out until the input ends. Temp files are removed when the
 * stream finishes, fails or is destroyed.
 */
export class SortEventsStream extends Duplex {
  private readonly sorter: ExternalSorter;
  private sorted: Iterator<VisitEvent> | undefined;
  /** Written chunks (arrays): then the sorted events go out in chunks too. */
  private chunked = false;

  constructor(options: ExternalSortOptions = {}) {
    // Sixteen items ahead of the next stage, as a Transform buffers: chunks of 256 hold 4,096 events.
    super({ objectMode: true, writableHighWaterMark: 256, readableHighWaterMark: 16 });
    this.sorter = new ExternalSorter(options);
  }

  get stats(): SortStats {
    return this.sorter.stats;
  }

  override _write(chunk: Chunk<VisitEvent>, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    try {
      this.add(chunk);
    } catch (error) {
      return callback(error as Error);
    }
    callback();
  }

  override _writev(chunks: { chunk: Chunk<VisitEvent> }[], callback: (error?: Error | null) => void): void {
    try {
      for (const { chunk } of chunks) this.add(chunk);
    } catch (error) {
      return callback(error as Error);
    }
    callback();
  }

  private add(chunk: Chunk<VisitEvent>): void {
    if (Array.isArray(chunk)) this.chunked = true;
    forEachIn(chunk, (event) => this.sorter.add(event));
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
    if (this.chunked) pushChunksFrom(this, this.sorted!, SORTED_CHUNK_EVENTS);
    else pushFrom(this, this.sorted!);
  }
}

export function sortEvents(options: ExternalSortOptions = {}): SortEventsStream {
  return new SortEventsStream(options);
}
