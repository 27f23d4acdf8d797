import { Transform } from 'node:stream';
import { Binner } from './binner.js';
/** Sorted VisitEvent → DeliveryBatch, in increasing batch number (see Binner). */
export function binEvents(options = {}) {
    const binner = new Binner(options);
    const stream = new Transform({
        objectMode: true,
        // Object-mode buffers count objects; a batch may hold thousands of events, so buffer one.
        readableHighWaterMark: 1,
        transform(event, _encoding, callback) {
            let closed;
            try {
                closed = binner.add(event);
            }
            catch (error) {
                callback(error);
                return;
            }
            for (const batch of closed)
                this.push(batch);
            callback();
        },
        flush(callback) {
            for (const batch of binner.finish())
                this.push(batch);
            callback();
        },
    });
    return Object.assign(stream, { stats: binner.stats });
}
//# sourceMappingURL=bin-events.js.map