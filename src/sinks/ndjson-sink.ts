import { Transform } from 'node:stream';
import type { DeliveryBatch } from '../events.js';

const CHUNK_CHARS = 256 * 1024;

export interface NdjsonSinkStats {
  batches: number;
  delivered: number;
}

export type NdjsonSinkStream = Transform & { readonly stats: NdjsonSinkStats };

/** One delivery line: the record the Kafka sink would send, with the event's text unchanged. */
export function deliveryLine(batch: number, visitId: string, text: string): string {
  return `{"delivery_batch":${batch},"key":${JSON.stringify(visitId)},"value":${text}}\n`;
}

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
      let chunk = '';
      for (const event of batch.events) {
        chunk += deliveryLine(batch.number, event.visitId, event.text);
        if (chunk.length >= CHUNK_CHARS) {
          this.push(chunk);
          chunk = '';
        }
      }
      if (chunk !== '') this.push(chunk);
      stats.batches++;
      stats.delivered += batch.events.length;
      callback();
    },
  });
  return Object.assign(stream, { stats });
}
