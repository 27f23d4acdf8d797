import type { DeadLetter, DeadLetterSink } from './dead-letter.js';

export class TooManyInvalidRowsError extends Error {
  override name = 'TooManyInvalidRowsError';
}

/** Passes dead letters on, and fails the run as soon as there are more than `max`. */
export class DeadLetterLimit implements DeadLetterSink {
  constructor(
    private readonly inner: DeadLetterSink,
    private readonly max: number,
  ) {}

  write(letter: DeadLetter): void {
    this.inner.write(letter);
    this.check(() => letter);
  }

  writeSerialized(json: string): void {
    if (this.inner.writeSerialized) this.inner.writeSerialized(json);
    else this.inner.write(JSON.parse(json) as DeadLetter);
    this.check(() => JSON.parse(json) as DeadLetter);
  }

  flush(): Promise<void> {
    return this.inner.flush?.() ?? Promise.resolve();
  }

  private check(last: () => DeadLetter): void {
    if (this.inner.count > this.max) {
      const letter = last();
      throw new TooManyInvalidRowsError(`more than ${this.max} invalid rows (--max-invalid); the last: ${letter.reason} at ${describePosition(letter)}`);
    }
  }

  get count(): number {
    return this.inner.count;
  }
}

export function describePosition(letter: DeadLetter): string {
  const p = letter.position;
  const where = p.line !== undefined ? `line ${p.line}` : p.index !== undefined ? `element ${p.index}` : `byte ${p.offset}`;
  return `${p.source} ${where}`;
}
