import type { OutgoingRecord } from './port.js';
import { SlicedRecord } from './sliced-record.js';

/** One delivery batch read back from delivery lines, its records grouped by partition. */
export interface ReadBatch {
  number: number;
  byPartition: Map<number, OutgoingRecord[]>;
}

/** The batch being read, and the bytes its lines start with up to their key: `{"delivery_batch":N,"key":"`. */
interface OpenBatch extends ReadBatch {
  head: Buffer;
}

const PREFIX = Buffer.from('{"delivery_batch":');
const KEY = Buffer.from(',"key":"');
/** From the key's closing quote to the value. */
const VALUE = Buffer.from('","value":');
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
const QUOTE = 0x22;
const CLOSE_BRACE = 0x7d;

/**
 * Turns chunks of delivery lines (`{"delivery_batch":N,"key":"<visit_id>","value":<event>}`,
 * the NDJSON sink's format, batch after batch) back into Kafka records without parsing the
 * events: the value is the event's bytes as they stand in the line, and the key is the line's
 * key bytes, decoded only when it holds a JSON escape. So a merge on a worker thread can hand
 * the Kafka sink chunks of bytes instead of an object per event, and each record points into
 * its chunk (SlicedRecord) instead of holding views of it.
 */
export class DeliveryLineReader {
  private current: OpenBatch | undefined;
  private carry: Buffer | undefined;
  private readonly headers = new Map<number, OutgoingRecord['headers']>();

  /** partitionOf: the partition of the key `bytes[start, end)` (javaRangePartitioner). */
  constructor(private readonly partitionOf: (bytes: Uint8Array, start: number, end: number) => number) {}

  /** Reads a chunk; returns the batches it completed (a batch ends where the next begins). */
  push(chunk: Buffer): ReadBatch[] {
    const done: ReadBatch[] = [];
    let data = chunk;
    if (this.carry) {
      data = Buffer.concat([this.carry, chunk]);
      this.carry = undefined;
    }
    let start = 0;
    for (;;) {
      const end = data.indexOf(NEWLINE, start);
      if (end === -1) break;
      if (end > start) this.line(data, start, end, done);
      start = end + 1;
    }
    if (start < data.length) this.carry = Buffer.from(data.subarray(start));
    return done;
  }

  /** The last batch, once the lines have ended. */
  end(): ReadBatch | undefined {
    if (this.carry) throw new Error('delivery lines ended in the middle of a line');
    const last = this.current;
    this.current = undefined;
    return last;
  }

  // Byte by byte in JS rather than Buffer#indexOf and #toString per line: a call into C++ for
  // each piece of each line cost more than the scan of its few dozen bytes (bench/README.md).
  private line(data: Buffer, start: number, end: number, done: ReadBatch[]): void {
    let batch = this.current;
    let keyStart: number;
    if (batch && startsWith(data, start, end, batch.head)) {
      keyStart = start + batch.head.length;
    } else {
      const keyAt = end - start > PREFIX.length && startsWith(data, start, end, PREFIX) ? data.indexOf(KEY, start + PREFIX.length) : -1;
      const number = keyAt === -1 || keyAt >= end ? NaN : Number(data.toString('latin1', start + PREFIX.length, keyAt));
      if (!Number.isSafeInteger(number)) this.refuse(data, start, end);
      if (batch) done.push(batch);
      batch = this.current = { number, byPartition: new Map(), head: Buffer.from(`{"delivery_batch":${number},"key":"`, 'latin1') };
      keyStart = keyAt + KEY.length;
    }
    let keyEnd = keyStart;
    let escaped = false;
    while (keyEnd < end && data[keyEnd] !== QUOTE) {
      if (data[keyEnd] === BACKSLASH) {
        escaped = true;
        keyEnd++;
      }
      keyEnd++;
    }
    const valueStart = keyEnd + VALUE.length;
    if (valueStart >= end || !startsWith(data, keyEnd, end, VALUE) || data[end - 1] !== CLOSE_BRACE) this.refuse(data, start, end);
    // The key where it lies in the line, or decoded into a buffer of its own.
    let keyBytes = data;
    let keyFrom = keyStart;
    let keyTo = keyEnd;
    if (escaped) {
      keyBytes = Buffer.from(JSON.parse(`"${data.toString('utf8', keyStart, keyEnd)}"`) as string);
      keyFrom = 0;
      keyTo = keyBytes.length;
    }
    const partition = this.partitionOf(keyBytes, keyFrom, keyTo);
    const record = new SlicedRecord(partition, keyBytes, keyFrom, keyTo, data, valueStart, end - 1, this.headersOf(batch.number));
    const share = batch.byPartition.get(partition);
    if (share) share.push(record);
    else batch.byPartition.set(partition, [record]);
  }

  private refuse(data: Buffer, start: number, end: number): never {
    throw new Error(`not a delivery line: ${data.toString('utf8', start, Math.min(end, start + 120))}`);
  }

  /** One headers array per batch, so the client can encode it once. */
  private headersOf(batch: number): OutgoingRecord['headers'] {
    let headers = this.headers.get(batch);
    if (!headers) {
      this.headers.clear();
      this.headers.set(batch, (headers = [['delivery_batch', String(batch)]]));
    }
    return headers;
  }
}

/** Whether `data[at, end)` starts with `bytes`. */
function startsWith(data: Buffer, at: number, end: number, bytes: Buffer): boolean {
  if (end - at < bytes.length) return false;
  for (let i = 0; i < bytes.length; i++) if (data[at + i] !== bytes[i]) return false;
  return true;
}
