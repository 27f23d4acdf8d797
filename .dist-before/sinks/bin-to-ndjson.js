import { Transform } from 'node:stream';
import { LinePacker } from '../stages/format/line-packer.js';
/**
 * Sorted VisitEvent → NDJSON delivery lines: binEvents() followed by ndjsonSink(), in one stage
 * and with the same bytes out. Each event is written as its delivery line the moment the
 * binner places it, so open batches hold bytes, not event objects. Events then die young:
 * with objects held in open batches, each one outlived the young generation and was copied
 * into the old one, and the collector ran a full mark every ~50 ms.
 */
export function binToNdjson(options = {}) {
    const packer = new LinePacker(options);
    const stream = new Transform({
        writableObjectMode: true,
        readableObjectMode: false,
        transform(event, _encoding, callback) {
            try {
                const size = event.bytes?.length ?? Buffer.byteLength(event.text, 'utf8');
                packer.place(event.visitId, event.time, size, event.seq).add(event, packer.key);
            }
            catch (error) {
                callback(error);
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
//# sourceMappingURL=bin-to-ndjson.js.map