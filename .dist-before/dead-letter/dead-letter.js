import { createWriteStream } from 'node:fs';
/** Keeps dead letters in memory: for tests and callers that inspect them. */
export class DeadLetterCollector {
    letters = [];
    write(letter) {
        this.letters.push(letter);
    }
    get count() {
        return this.letters.length;
    }
}
/**
 * NDJSON dead-letter file, created at the first bad row (a clean run leaves no empty file).
 * One line per row: {"reason", "position", "raw" | "rawBase64", ...}.
 */
export class DeadLetterFile {
    path;
    options;
    stream;
    written = 0;
    failure;
    /** `append` keeps what the file holds (streaming mode, whose restarts must not erase letters). */
    constructor(path, options = {}) {
        this.path = path;
        this.options = options;
    }
    write(letter) {
        this.writeSerialized(JSON.stringify(letter));
    }
    writeSerialized(json) {
        if (this.failure)
            throw this.failure;
        if (!this.stream) {
            this.stream = createWriteStream(this.path, { flags: this.options.append ? 'a' : 'w', mode: 0o644 });
            // Kept, not thrown from an event: the next write, flush or close reports it, naming the file.
            this.stream.on('error', (error) => this.fail(error));
        }
        this.stream.write(json + '\n');
        this.written++;
    }
    get count() {
        return this.written;
    }
    flush() {
        const stream = this.stream;
        if (this.failure)
            return Promise.reject(this.failure);
        if (!stream)
            return Promise.resolve();
        // Writes complete in order, so an empty write's callback comes after every earlier line.
        return new Promise((resolve, reject) => stream.write('', (error) => (error ? reject(this.fail(error)) : resolve())));
    }
    fail(error) {
        this.failure ??= Object.assign(new Error(`cannot write the dead-letter file ${this.path}: ${error.code ?? error.message}`), { cause: error });
        return this.failure;
    }
    /** Flushes and closes the file; resolves once every line is on disk. */
    close() {
        const stream = this.stream;
        if (!stream)
            return Promise.resolve();
        if (this.failure)
            return Promise.reject(this.failure);
        // Destroyed by an error whose event is still to come.
        if (stream.destroyed)
            return new Promise((_, reject) => stream.once('close', () => reject(this.failure ?? new Error(`the dead-letter file ${this.path} was closed early`))));
        return new Promise((resolve, reject) => {
            stream.once('error', (error) => reject(this.fail(error)));
            stream.end((error) => (error ? reject(this.fail(error)) : this.failure ? reject(this.failure) : resolve()));
        });
    }
}
//# sourceMappingURL=dead-letter.js.map