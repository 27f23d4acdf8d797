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
  readonly stats = { delivered: 0 };
  private readonly keepsOutputOpen: boolean;
  private confirmedBytes = 0;
  private pending = 0;
  private settled: (() => void) | undefined;
  private failed = false;

  constructor(private readonly output: Writable) {
    // The output's own buffer size: write() then says "wait" as the output would, and only
    // when it would (a smaller one made every chunk wait for a drain, 20% of a file run's time).
    super({ highWaterMark: output.writableHighWaterMark });
    this.keepsOutputOpen = output === process.stdout || output === process.stderr;
    // Errors outside a write (a file that cannot be opened) still end the run.
    output.on('error', (error) => this.destroy(error));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending++;
    const ready = this.output.write(chunk, (error) => {
      this.pending--;
      if (!error) {
        this.stats.delivered += countLines(chunk, chunk.length);
        this.confirmedBytes += chunk.length;
      } else if (!this.failed) {
        this.failed = true;
        // A file stream knows how many bytes made it: count the whole lines of this chunk among them.
        const written = bytesWritten(this.output);
        if (written !== undefined) this.stats.delivered += countLines(chunk, written - this.confirmedBytes);
        this.destroy(error);
      }
      if (this.pending === 0) this.settled?.();
    });
    if (ready) callback();
    else this.output.once('drain', () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.keepsOutputOpen) {
      this.output.end((error?: Error | null) => callback(error));
      return;
    }
    // stdout stays open for whatever else writes to it: wait until every chunk is confirmed.
    if (this.pending === 0) callback();
    else this.settled = () => callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error && !this.keepsOutputOpen) this.output.destroy();
    callback(error);
  }
}
function countLines(chunk: Buffer, end: number): number {
  let lines = 0;
  for (let i = chunk.indexOf(NEWLINE); i !== -1 && i < end; i = chunk.indexOf(NEWLINE, i + 1)) lines++;
  return lines;
}

function bytesWritten(output: Writable): number | undefined {
  const written = (output as { bytesWritten?: unknown }).bytesWritten;
  return typeof written === 'number' ? written : undefined;
}
