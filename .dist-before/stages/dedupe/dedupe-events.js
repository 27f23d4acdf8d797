import { Transform } from 'node:stream';
import { DuplicateFilter } from './duplicate-filter.js';
/**
 * Drops exact duplicates (same visit, same instant, same text) from a sorted stream, keeping
 * the first arrival (see DuplicateFilter).
 */
export function dedupeEvents() {
    const filter = new DuplicateFilter();
    const stream = new Transform({
        objectMode: true,
        transform(event, _encoding, callback) {
            if (filter.repeats(event.visitId, event.time, event.text))
                callback();
            else
                callback(null, event);
        },
    });
    return Object.assign(stream, { stats: filter.stats });
}
//# sourceMappingURL=dedupe-events.js.map