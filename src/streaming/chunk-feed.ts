import { Readable } from 'node:stream';

/**
 * A Readable that a producer outside the stream world pushes chunks (of events, say) into: `write`
 * returns a promise to wait on when the stream is full (it resolves once there is room
 * again), so a Kafka consumer feeding it waits for the stages downstream instead of buffering
 * without bound; while there is room it returns undefined, and costs no promise per chunk.
 */
export class ChunkFeed<T> extends Readable {
  private wake: (() => void) | undefined;

  constructor() {
    super({ objectMode: true, highWaterMark: 16 });
  }

  write(chunk: T[]): Promise<void> | undefined {
    if (this.destroyed) throw this.errored ?? new Error('the micro-batch pipeline has closed');
    if (this.push(chunk)) return undefined;
    return new Promise<void>((resolve) => (this.wake = resolve)).then(() => {
      if (this.destroyed) throw this.errored ?? new Error('the micro-batch pipeline has closed');
    });
  }

  override _read(): void {
    this.wakeWriter();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.wakeWriter();
    callback(error);
  }

  private wakeWriter(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
