export class TooManyInvalidRowsError extends Error {
    name = 'TooManyInvalidRowsError';
}
/** Passes dead letters on, and fails the run as soon as there are more than `max`. */
export class DeadLetterLimit {
    inner;
    max;
    constructor(inner, max) {
        this.inner = inner;
        this.max = max;
    }
    write(letter) {
        this.inner.write(letter);
        this.check(() => letter);
    }
    writeSerialized(json) {
        if (this.inner.writeSerialized)
            this.inner.writeSerialized(json);
        else
            this.inner.write(JSON.parse(json));
        this.check(() => JSON.parse(json));
    }
    flush() {
        return this.inner.flush?.() ?? Promise.resolve();
    }
    check(last) {
        if (this.inner.count > this.max) {
            const letter = last();
            throw new TooManyInvalidRowsError(`more than ${this.max} invalid rows (--max-invalid); the last: ${letter.reason} at ${describePosition(letter)}`);
        }
    }
    get count() {
        return this.inner.count;
    }
}
export function describePosition(letter) {
    const p = letter.position;
    const where = p.line !== undefined ? `line ${p.line}` : p.index !== undefined ? `element ${p.index}` : `byte ${p.offset}`;
    return `${p.source} ${where}`;
}
//# sourceMappingURL=dead-letter-limit.js.map