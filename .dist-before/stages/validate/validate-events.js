import { Transform } from 'node:stream';
import { toVisitEvent } from './validate-row.js';
/**
 * ParsedRow → VisitEvent. Rows without a non-empty string visit_id or an event_time instant
 * go to the dead-letter sink with the reason and the row's position. Numbers the events in
 * arrival order (`seq`), which keeps the sort stable.
 */
export function validateEvents(options) {
    const stats = { valid: 0, invalid: 0 };
    let seq = 0;
    const stream = new Transform({
        objectMode: true,
        transform(row, _encoding, callback) {
            const event = toVisitEvent(row, seq++);
            if (typeof event === 'string') {
                stats.invalid++;
                try {
                    options.deadLetters.write({ reason: event, position: row.position, raw: row.text });
                }
                catch (error) {
                    return callback(error);
                }
                callback();
            }
            else {
                stats.valid++;
                callback(null, event);
            }
        },
    });
    return Object.assign(stream, { stats });
}
//# sourceMappingURL=validate-events.js.map