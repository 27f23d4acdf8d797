import { Transform } from 'node:stream';
import { DeliveryLines } from '../stages/format/delivery-lines.js';
const CHUNK_BYTES = 1024 * 1024;
/**
 * DeliveryBatch → NDJSON text, one line per event in delivery order:
 * {"delivery_batch":N,"key":"<visit_id>","value":<the event's original JSON>}.
 * The embedded default sink: pipe it to stdout or a file.
 */
export function ndjsonSink() {
    const stats = { batches: 0, delivered: 0 };
    const stream = new Transform({
        writableObjectMode: true,
        readableObjectMode: false,
        writableHighWaterMark: 1,
        transform(batch, _encoding, callback) {
            const lines = new DeliveryLines(batch.number, CHUNK_BYTES);
            for (const event of batch.events)
                lines.add(event);
            for (const chunk of lines.finish())
                this.push(chunk);
            stats.batches++;
            stats.delivered += batch.events.length;
            callback();
        },
    });
    return Object.assign(stream, { stats });
}
//# sourceMappingURL=ndjson-sink.js.map