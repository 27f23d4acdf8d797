import { createWriteStream, type WriteStream } from 'node:fs';
import type { Position } from '../events.js';
import type { ProducerPort } from '../kafka/port.js';
import { UserFacingError } from '../user-facing-error.js';

/** A row that cannot be delivered, and why. */
export interface DeadLetter {
  reason: string;
  position: Position;
  /** The row's text; absent when it was not valid UTF-8 (then rawBase64). */
  raw?: string;
  rawBase64?: string;
  /** Set when the row exceeded the size limit: raw holds its first bytes, size its full length. */
  truncated?: boolean;
  size?: number;
}

/** Where stages put rows they reject. Writes must not be lost: sinks flush on close(). */
export interface DeadLetterSink {
  write(letter: DeadLetter): void;
  readonly count: number;
  /**
   * Resolves once every letter written so far is stored: streaming mode awaits it before
   * committing offsets. A sink that produces to Kafka sends through `via` when given (the
   * micro-batch's transaction, in exactly-once runs).
   */
  flush?(via?: ProducerPort): Promise<void>;
  /** write() for a letter already serialized as JSON.stringify(letter) (no newline): a sink that stores JSON skips a parse and a stringify. */
  writeSerialized?(json: string): void;
}

/** Keeps dead letters in memory: for tests and callers that inspect them. */
export class DeadLetterCollector implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  write(letter: DeadLetter): void {
    this.letters.push(letter);
  }
  get count(): number {
    return this.letters.length;
  }
}

/**
 * NDJSON dead-letter file, created at the first bad row (a clean run leaves no empty file).
 * One line per row: {"reason", "position", "raw" | "rawBase64", ...}.
 */
export class DeadLetterFile implements DeadLetterSink {
  private stream: WriteStream | undefined;
  private written = 0;
  private failure: Error | undefined;

  /** `append` keeps what the file holds (streaming mode, whose restarts must not erase letters). */
  constructor(
    readonly path: string,
    private readonly options: { append?: boolean } = {},
  ) {}

  write(letter: DeadLetter): void {
    this.writeSerialized(JSON.stringify(letter));
  }

  writeSerialized(json: string): void {
    if (this.failure) throw this.failure;
    if (!this.stream) {
      this.stream = createWriteStream(this.path, { flags: this.options.append ? 'a' : 'w', mode: 0o644 });
      // Kept, not thrown from an event: the next write, flush or close reports it, naming the file.
      this.stream.on('error', (error) => this.fail(error));
    }
    this.stream.write(json + '\n');
    this.written++;
  }

  get count(): number {
    return this.written;
  }

  flush(): Promise<void> {
    const stream = this.stream;
    if (this.failure) return Promise.reject(this.failure);
    if (!stream) return Promise.resolve();
    // Writes complete in order, so an empty write's callback comes after every earlier line.
    return new Promise((resolve, reject) => stream.write('', (error) => (error ? reject(this.fail(error)) : resolve())));
  }

  private fail(error: NodeJS.ErrnoException): Error {
    this.failure ??= new UserFacingError(`cannot write the dead-letter file ${this.path}: ${error.message}`, { cause: error });
    return this.failure;
  }

  /** Flushes and closes the file; resolves once every line is on disk. */
  close(): Promise<void> {
    const stream = this.stream;
    if (!stream) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    // Destroyed by an error whose event is still to come.
    if (stream.destroyed)
      return new Promise((_, reject) => stream.once('close', () => reject(this.failure ?? new Error(`the dead-letter file ${this.path} was closed early`))));
    return new Promise((resolve, reject) => {
      stream.once('error', (error) => reject(this.fail(error)));
      stream.end((error?: Error | null) => (error ? reject(this.fail(error)) : this.failure ? reject(this.failure) : resolve()));
    });
  }
}
