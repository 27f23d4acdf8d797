import { Transform } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { forEachIn, type Chunk } from '../chunk.js';
import { Binner, type BinnerOptions, type BinStats } from './binner.js';

export type BinEventsStream = Transform & { readonly stats: BinStats };

/** Sorted VisitEvent → DeliveryBatch, in increasing batch number (see Binner). */
export function binEvents(options: BinnerOptions = {}): BinEventsStream {
  const binner = new Binner(options);
  const stream = new Transform({
    objectMode: true,
    // Object-mode buffers count objects; a batch may hold thousands of events, so buffer one.
    readableHighWaterMark: 1,
    transform(chunk: Chunk<VisitEvent>, _encoding, callback) {
      try {
        forEachIn(chunk, (event) => {
          for (const batch of binner.add(event)) this.push(batch);
        });
      } catch (error) {
        callback(error as Error);
        return;
      }
      callback();
    },
    flush(callback) {
      for (const batch of binner.finish()) this.push(batch);
      callback();
    },
  });
  return Object.assign(stream, { stats: binner.stats });
}
