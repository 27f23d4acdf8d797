import { Readable } from 'node:stream';
/**
 * A Readable that a producer outside the stream world pushes rows into: `write` returns a
 * promise to wait on when the stream is full (it resolves once there is room again), so a
 * Kafka consumer feeding it waits for the stages downstream instead of buffering without
 * bound; while there is room it returns undefined, and costs no promise per row.
 */
export class RowFeed extends Readable {
    wake;
    constructor() {
        super({ objectMode: true, highWaterMark: 256 });
    }
    write(row) {
        if (this.destroyed)
            throw this.errored ?? new Error('the micro-batch pipeline has closed');
        if (this.push(row))
            return undefined;
        return new Promise((resolve) => (this.wake = resolve)).then(() => {
            if (this.destroyed)
                throw this.errored ?? new Error('the micro-batch pipeline has closed');
        });
    }
    _read() {
        this.wakeWriter();
    }
    _destroy(error, callback) {
        this.wakeWriter();
        callback(error);
    }
    wakeWriter() {
        const wake = this.wake;
        this.wake = undefined;
        wake?.();
    }
}
//# sourceMappingURL=row-feed.js.map