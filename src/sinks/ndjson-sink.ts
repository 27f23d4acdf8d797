import { Transform } from 'node:stream';
import type { DeliveryBatch } from '../events.js';
import { DeliveryLines, type NdjsonSinkStats } from '../stages/format/delivery-lines.js';

export type { NdjsonSinkStats } from '../stages/format/delivery-lines.js';

const CHUNK_BYTES = 1024 * 1024;

export type NdjsonSinkStream = Transform & { readonly stats: NdjsonSinkStats };

/**
 * DeliveryBatch → NDJSON text, one line per event in delivery order:
 * {"delivery_batch":N,"key":"<visit_id>","value":<the event's original JSON>}.
 * The embedded default sink: pipe it to stdout or a file.
 */
export function ndjsonSink(): NdjsonSinkStream {
  const stats: NdjsonSinkStats = { batches: 0, delivered: 0 };
  const stream = new Transform({
    writableObjectMode: true,
    readableObjectMode: false,
    writableHighWaterMark: 1,
    transform(batch: DeliveryBatch, _encoding, callback) {
      const lines = new DeliveryLines(batch.number, CHUNK_BYTES);
      for (const event of batch.events) lines.add(event);
      for (const chunk of lines.finish()) this.push(chunk);
      stats.batches++;
      stats.delivered += batch.events.length;
      callback();
    },
  });
  return Object.assign(stream, { stats });
}
