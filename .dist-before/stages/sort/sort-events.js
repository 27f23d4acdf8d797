import { Duplex } from 'node:stream';
import { pushFrom } from './push-from.js';
import { ExternalSorter } from './external-sorter.js';
/**
 * VisitEvent → VisitEvent in (visit_id, instant, arrival) order, in bounded memory (see
 * ExternalSorter). Nothing comes out until the input ends. Temp files are removed when the
 * stream finishes, fails or is destroyed.
 */
export class SortEventsStream extends Duplex {
    sorter;
    sorted;
    constructor(options = {}) {
        super({ objectMode: true, writableHighWaterMark: 256, readableHighWaterMark: 256 });
        this.sorter = new ExternalSorter(options);
    }
    get stats() {
        return this.sorter.stats;
    }
    _write(event, _encoding, callback) {
        try {
            this.sorter.add(event);
        }
        catch (error) {
            return callback(error);
        }
        callback();
    }
    _writev(chunks, callback) {
        try {
            for (const { chunk } of chunks)
                this.sorter.add(chunk);
        }
        catch (error) {
            return callback(error);
        }
        callback();
    }
    _final(callback) {
        this.sorted = this.sorter.sorted();
        callback();
        this.pump();
    }
    _read() {
        if (this.sorted)
            this.pump();
    }
    _destroy(error, callback) {
        this.sorter.cleanup();
        callback(error);
    }
    pump() {
        pushFrom(this, this.sorted);
    }
}
export function sortEvents(options = {}) {
    return new SortEventsStream(options);
}
//# sourceMappingURL=sort-events.js.map