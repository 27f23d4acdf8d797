import { StoredEvent, type VisitEvent } from '../../events.js';

/** What a stage that writes delivery lines counts. */
export interface NdjsonSinkStats {
  batches: number;
  delivered: number;
}

const CLOSE_BRACE = 0x7d;
const NEWLINE = 0x0a;
const FIRST_CHUNK_BYTES = 1024;

/** The key field's JSON and the value field's name, `"<visit_id>","value":`, as bytes: what a line holds between its batch and its value. */
export function deliveryKey(visitId: string): Buffer {
  return Buffer.from(`${JSON.stringify(visitId)},"value":`, 'utf8');
}

/**
 * Delivery lines of one batch, encoded straight into byte chunks of `chunkBytes`:
 * {"delivery_batch":N,"key":"<visit_id>","value":<the event's original JSON>}.
 * Building one string per line and letting a writer encode it again cost ~3 s per million
 * events. Constant bytes are copied with TypedArray#set: Buffer#write of a short string costs
 * a call into C++ per piece, which showed in profiles.
 */
export class DeliveryLines {
  /** Filled chunks, in order; the last one may still grow. */
  private readonly chunks: Buffer[] = [];
  private chunk: Buffer | undefined;
  private used = 0;
  private readonly prefix: Buffer;

  constructor(
    readonly batch: number,
    private readonly chunkBytes: number,
    /** Where chunks come from: each must have an ArrayBuffer of its own (the merge worker transfers them). */
    private readonly allocate: (size: number) => Buffer = Buffer.allocUnsafeSlow,
  ) {
    this.prefix = Buffer.from(`{"delivery_batch":${batch},"key":`, 'latin1');
  }

  /** Adds the event's line; `key` is deliveryKey(event.visitId), which callers can reuse across a visit's events. */
  add(event: VisitEvent, key: Buffer = deliveryKey(event.visitId)): void {
    if (event instanceof StoredEvent) {
      this.addBytes(key, event.source, event.start, event.end);
      return;
    }
    const bytes = event.bytes;
    if (bytes) {
      this.addBytes(key, bytes, 0, bytes.length);
      return;
    }
    const at = this.room(key, 3 * event.text.length);
    const end = at + this.chunk!.write(event.text, at, 'utf8');
    this.closeLine(end);
  }

  /** Adds a line whose value is `source[start, end)`, the event's exact bytes. */
  addBytes(key: Buffer, source: Buffer, start: number, end: number): void {
    const at = this.room(key, end - start);
    // TypedArray#set: Buffer#copy's argument checks cost more than the copy of one event.
    this.chunk!.set(source.subarray(start, end), at);
    this.closeLine(at + end - start);
  }

  /** Writes the line's head into a chunk with room for the whole line; returns where the value goes. */
  private room(key: Buffer, valueBytes: number): number {
    const worst = this.prefix.length + key.length + valueBytes + 2;
    let chunk = this.chunk;
    let used = this.used;
    if (chunk === undefined || used + worst > chunk.length) {
      if (chunk !== undefined) this.chunks[this.chunks.length - 1] = chunk.subarray(0, used);
      // Chunks grow from the size of one line to chunkBytes: a batch of one event (a long
      // visit's batches) must not hold a whole chunk. Never from Buffer's shared pool: the
      // merge worker transfers each chunk's ArrayBuffer to the main thread.
      const size = Math.min(this.chunkBytes, Math.max(FIRST_CHUNK_BYTES, 2 * (chunk?.length ?? 0)));
      chunk = this.chunk = this.allocate(Math.max(size, worst));
      this.chunks.push(chunk);
      used = 0;
    }
    chunk.set(this.prefix, used);
    used += this.prefix.length;
    chunk.set(key, used);
    return used + key.length;
  }

  private closeLine(at: number): void {
    const chunk = this.chunk!;
    chunk[at] = CLOSE_BRACE;
    chunk[at + 1] = NEWLINE;
    this.used = at + 2;
  }

  /** The chunks, the last one trimmed to what was written; add() nothing after this. */
  finish(): Buffer[] {
    if (this.chunk !== undefined) this.chunks[this.chunks.length - 1] = this.chunk.subarray(0, this.used);
    this.chunk = undefined;
    return this.chunks;
  }
}
