import { Transform } from 'node:stream';
import { eventByteLength, type VisitEvent } from '../events.js';
import { forEachIn, type Chunk } from '../stages/chunk.js';
import type { BinnerOptions, BinStats } from '../stages/bin/binner-options.js';
import { LinePacker } from '../stages/format/line-packer.js';
import type { NdjsonSinkStats } from './ndjson-sink.js';

export type BinToNdjsonStream = Transform & { readonly stats: NdjsonSinkStats; readonly binStats: BinStats };

/**
 * Sorted VisitEvent → NDJSON delivery lines: binEvents() followed by ndjsonSink(), in one stage
 * and with the same bytes out. Each event is written as its delivery line the moment the
 * binner places it, so open batches hold bytes, not event objects. Events then die young:
 * with objects held in open batches, each one outlived the young generation and was copied
 * into the old one, and the collector ran a full mark every ~50 ms.
 */
export function binToNdjson(options: BinnerOptions = {}): BinToNdjsonStream {
  const packer = new LinePacker(options);
  const stream = new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    transform(chunk: Chunk<VisitEvent>, _encoding, callback) {
      try {
        forEachIn(chunk, (event) => {
          const size = eventByteLength(event);
          packer.place(event.visitId, event.time, size, event.seq).add(event, packer.key);
        });
      } catch (error) {
        callback(error as Error);
        return;
      }
      packer.drainClosed((chunk) => this.push(chunk));
      callback();
    },
    flush(callback) {
      packer.finish((chunk) => this.push(chunk));
      callback();
    },
  });
  return Object.assign(stream, { stats: packer.stats, binStats: packer.binStats });
}
