import { Transform } from 'node:stream';
/**
 * Over one micro-batch's sorted events: an event older than what an earlier micro-batch
 * already delivered for its visit is late. Policy `deliver` passes it on marked `late`
 * (the Kafka sink adds a `late` header); `dead-letter` sends it to the dead-letter sink.
 * Every event passed on advances its visit's watermark.
 */
export function markLateEvents(options) {
    const { watermarks, policy, deadLetters } = options;
    const stats = { late: 0 };
    const stream = new Transform({
        objectMode: true,
        transform(event, _encoding, callback) {
            const latest = watermarks.latest(event.visitId);
            if (latest !== undefined && event.time < latest) {
                stats.late++;
                if (policy === 'dead-letter') {
                    try {
                        deadLetters.write({
                            reason: `late event: visit ${event.visitId} at ${new Date(event.time).toISOString()} is older than its event at ${new Date(latest).toISOString()}, already delivered`,
                            position: options.positionOf(event),
                            raw: event.text,
                        });
                    }
                    catch (error) {
                        return callback(error);
                    }
                    return callback();
                }
                event.late = true;
                return callback(null, event);
            }
            watermarks.record(event.visitId, event.time, options.positionOf(event).partition);
            callback(null, event);
        },
    });
    return Object.assign(stream, { stats });
}
//# sourceMappingURL=mark-late-events.js.map