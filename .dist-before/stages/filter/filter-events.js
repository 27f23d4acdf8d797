import { Transform } from 'node:stream';
/** Passes the events `keep` accepts and counts the others. */
export function filterEvents(keep) {
    const stats = { dropped: 0 };
    const stream = new Transform({
        objectMode: true,
        transform(event, _encoding, callback) {
            if (keep(event))
                return callback(null, event);
            stats.dropped++;
            callback();
        },
    });
    return Object.assign(stream, { stats });
}
//# sourceMappingURL=filter-events.js.map