import { Writable } from 'node:stream';
const NEWLINE = 0x0a;
/**
 * The end of a file run that writes NDJSON delivery lines: passes chunks of lines to `output`
 * (stdout, a file) and counts the lines `output` confirmed written, so a run that fails midway
 * (ENOSPC, a closed pipe) reports what is really there, not what was handed over. Chunks go
 * on at once, under `output`'s own backpressure, so a file stream still gathers them into one
 * writev; one waits here only while `output` asks to wait.
 */
export class WrittenLines extends Writable {
    output;
    stats = { delivered: 0 };
    keepsOutputOpen;
    confirmedBytes = 0;
    pending = 0;
    settled;
    failed = false;
    constructor(output) {
        // The output's own buffer size: write() then says "wait" as the output would, and only
        // when it would (a smaller one made every chunk wait for a drain, 20% of a file run's time).
        super({ highWaterMark: output.writableHighWaterMark });
        this.output = output;
        this.keepsOutputOpen = output === process.stdout || output === process.stderr;
        // Errors outside a write (a file that cannot be opened) still end the run.
        output.on('error', (error) => this.destroy(error));
    }
    _write(chunk, _encoding, callback) {
        this.pending++;
        const ready = this.output.write(chunk, (error) => {
            this.pending--;
            if (!error) {
                this.stats.delivered += countLines(chunk, chunk.length);
                this.confirmedBytes += chunk.length;
            }
            else if (!this.failed) {
                this.failed = true;
                // A file stream knows how many bytes made it: count the whole lines of this chunk among them.
                const written = bytesWritten(this.output);
                if (written !== undefined)
                    this.stats.delivered += countLines(chunk, written - this.confirmedBytes);
                this.destroy(error);
            }
            if (this.pending === 0)
                this.settled?.();
        });
        if (ready)
            callback();
        else
            this.output.once('drain', () => callback());
    }
    _final(callback) {
        if (!this.keepsOutputOpen) {
            this.output.end((error) => callback(error));
            return;
        }
        // stdout stays open for whatever else writes to it: wait until every chunk is confirmed.
        if (this.pending === 0)
            callback();
        else
            this.settled = () => callback();
    }
    _destroy(error, callback) {
        if (error && !this.keepsOutputOpen)
            this.output.destroy();
        callback(error);
    }
}
function countLines(chunk, end) {
    let lines = 0;
    for (let i = chunk.indexOf(NEWLINE); i !== -1 && i < end; i = chunk.indexOf(NEWLINE, i + 1))
        lines++;
    return lines;
}
function bytesWritten(output) {
    const written = output.bytesWritten;
    return typeof written === 'number' ? written : undefined;
}
//# sourceMappingURL=written-lines.js.map