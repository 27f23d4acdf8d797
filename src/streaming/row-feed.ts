import { Readable } from 'node:stream';
import type { ParsedRow } from '../events.js';

/**
 * A Readable that a producer outside the stream world pushes rows into: `write` resolves
 * once the stream has room again, so a Kafka consumer feeding it waits for the stages
 * downstream instead of buffering without bound.
 */
export class RowFeed extends Readable {
  private wake: (() => void) | undefined;

  constructor() {
    super({ objectMode: true, highWaterMark: 256 });
  }

  async write(row: ParsedRow): Promise<void> {
    if (this.destroyed) throw this.errored ?? new Error('the micro-batch pipeline has closed');
    if (this.push(row)) return;
    await new Promise<void>((resolve) => (this.wake = resolve));
    if (this.destroyed) throw this.errored ?? new Error('the micro-batch pipeline has closed');
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
