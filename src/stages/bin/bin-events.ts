import { Transform } from 'node:stream';
import type { VisitEvent } from '../../events.js';
import { Binner, type BinnerOptions, type BinStats } from './binner.js';

export type BinEventsStream = Transform & { readonly stats: BinStats };

/** Sorted VisitEvent → DeliveryBatch, in increasing batch number (see Binner). */
export function binEvents(options: BinnerOptions = {}): BinEventsStream {
  const binner = new Binner(options);
  const stream = new Transform({
    objectMode: true,
    // Object-mode buffers count objects; a batch may hold thousands of events, so buffer one.
    readableHighWaterMark: 1,
    transform(event: VisitEvent, _encoding, callback) {
      let closed;
      try {
        closed = binner.add(event);
      } catch (error) {
        callback(error as Error);
        return;
      }
      for (const batch of closed) this.push(batch);
      callback();
    },
    flush(callback) {
      for (const batch of binner.finish()) this.push(batch);
      callback();
    },
  });
  return Object.assign(stream, { stats: binner.stats });
}
