// Kafka's record batches (magic v2) as a fetch returns them, read where they lie: in the socket
// chunks the response arrived in. One object per record, its value a view of those chunks (its
// key and headers made only when asked for); only a record (or a batch header) that straddles
// two chunks is copied. The client reads a partition's batches by first copying them into one
// fresh Buffer (page faults cost more than the copy) and then through a general reader that
// makes a BigInt timestamp and a record object per record: a fifth of a streaming instance's
// time (bench/README.md).
// Layout: https://kafka.apache.org/documentation/#recordbatch
import type { FetchedRecord } from './port.js';
import { ATTRIBUTES_AT, HEADER_BYTES as RECORDS_AT } from './record-batch.js';

/** A record batch, with each record's absolute offset. */
export interface ReadBatch {
  firstOffset: bigint;
  lastOffsetDelta: number;
  producerId: bigint;
  attributes: number;
  records: FetchedRecord[];
}

/** Decompresses a batch's records section, given the codec's bits of its attributes. */
export type Decompress = (bitmask: number, bytes: Buffer) => Buffer;

/** baseOffset, batchLength: the part of a batch before what batchLength counts. */
const LOG_OVERHEAD = 12;
const MAGIC_AT = 16;
const LAST_OFFSET_DELTA_AT = 23;
const PRODUCER_ID_AT = 43;
const RECORD_COUNT_AT = 57;
const MAX_VARINT_BYTES = 5;
const COMPRESSION_BITS = 0x07;
const NO_HEADERS: FetchedRecord['headers'] = Object.freeze([]);

/**
 * The whole batches in bytes [start, end) of `chunks` (one fetched partition's records), in
 * order. A fetch may end with part of a batch (the broker cuts at the requested size): that
 * part is left for the next fetch, as Java's consumer does.
 */
export function readRecordBatches(chunks: readonly Buffer[], decompress: Decompress, start = 0, end = chunks.reduce((n, c) => n + c.length, 0)): ReadBatch[] {
  const cursor = new ChunkCursor(chunks);
  const batches: ReadBatch[] = [];
  for (let at = start; end - at >= RECORDS_AT; ) {
    const header = cursor.range(at, at + RECORDS_AT);
    const size = LOG_OVERHEAD + header.readInt32BE(8);
    if (size > end - at) break;
    const firstOffset = header.readBigInt64BE(0);
    const magic = header[MAGIC_AT];
    if (magic !== 2) throw new Error(`record batch at offset ${firstOffset} has magic ${magic}: only v2 batches (Kafka 0.11 and later) can be read`);
    const attributes = header.readInt16BE(ATTRIBUTES_AT);
    const count = header.readInt32BE(RECORD_COUNT_AT);
    const compression = attributes & COMPRESSION_BITS;
    const records =
      compression === 0
        ? readRecords(cursor, at + RECORDS_AT, at + size, count, firstOffset)
        : readRecords(new ChunkCursor([decompress(compression, cursor.range(at + RECORDS_AT, at + size))]), 0, Infinity, count, firstOffset);
    batches.push({ firstOffset, lastOffsetDelta: header.readInt32BE(LAST_OFFSET_DELTA_AT), producerId: header.readBigInt64BE(PRODUCER_ID_AT), attributes, records });
    at += size;
  }
  return batches;
}

/** `count` records from `start`, each led by its length. */
function readRecords(cursor: ChunkCursor, start: number, end: number, count: number, firstOffset: bigint): FetchedRecord[] {
  // Every record takes several bytes: a larger count is corrupt, and must not size the array.
  if (count < 0 || count > Math.min(end, cursor.length) - start) throw new Error(`the batch at offset ${firstOffset} claims ${count} records in fewer bytes`);
  const records: FetchedRecord[] = new Array(count);
  const reader = new VarintReader();
  let at = start;
  for (let i = 0; i < count; i++) {
    const peek = cursor.within(at, Math.min(at + MAX_VARINT_BYTES, end, cursor.length));
    reader.over(peek, cursor.offset, peek.length);
    const length = reader.varint();
    const lengthBytes = reader.at - cursor.offset;
    const next = at + lengthBytes + length;
    if (length < 0 || next > end || next > cursor.length) throw new Error(`record ${i} of the batch at offset ${firstOffset} runs past its batch`);
    const record = cursor.within(at, next);
    reader.over(record, cursor.offset + lengthBytes, cursor.offset + (next - at));
    reader.at++; // attributes
    reader.skipVarint(); // timestamp delta
    const offsetDelta = reader.varint();
    const keyAt = reader.at;
    reader.skipBytes(); // the key
    const value = reader.bytes();
    const headersAt = reader.at;
    const headerCount = reader.varint();
    for (let h = 0; h < 2 * headerCount; h++) reader.skipBytes();
    // The length says where the next record starts, whatever this one held beyond its fields.
    at = next;
    records[i] = new ReadRecord(firstOffset + BigInt(offsetDelta), value, record, keyAt, headersAt, reader.end);
  }
  return records;
}

/**
 * A record read from a batch: its value a view at once (what streaming reads of every record),
 * its key and headers made when asked for, from where reading found them (checked then).
 */
class ReadRecord implements FetchedRecord {
  constructor(
    readonly offset: bigint,
    readonly value: Buffer | null,
    private readonly source: Buffer,
    private readonly keyAt: number,
    private readonly headersAt: number,
    private readonly end: number,
  ) {}

  get key(): Buffer | null {
    const reader = new VarintReader();
    reader.over(this.source, this.keyAt, this.end);
    return reader.bytes();
  }

  get headers(): FetchedRecord['headers'] {
    const reader = new VarintReader();
    reader.over(this.source, this.headersAt, this.end);
    const count = reader.varint();
    if (count <= 0) return NO_HEADERS;
    const headers: [Buffer | null, Buffer | null][] = new Array(count);
    for (let h = 0; h < count; h++) headers[h] = [reader.bytes(), reader.bytes()];
    return headers;
  }
}

/** Byte ranges of a run of chunks, asked for in increasing order. */
class ChunkCursor {
  readonly length: number;
  /** Where within()'s answer holds `start`. */
  offset = 0;
  private chunk = 0;
  /** Where chunks[chunk] starts. */
  private base = 0;

  constructor(private readonly chunks: readonly Buffer[]) {
    this.length = chunks.reduce((n, c) => n + c.length, 0);
  }

  /**
   * A Buffer holding bytes [start, end) from `offset` on: the chunk itself when they lie in one
   * (no object made), a copy of them otherwise.
   */
  within(start: number, end: number): Buffer {
    const chunk = this.seek(start);
    if (end - this.base <= chunk.length) {
      this.offset = start - this.base;
      return chunk;
    }
    this.offset = 0;
    return this.range(start, end);
  }

  /** Bytes [start, end): a view when they lie in one chunk, a copy otherwise. */
  range(start: number, end: number): Buffer {
    const first = this.seek(start);
    if (end - this.base <= first.length) return first.subarray(start - this.base, end - this.base);
    const copy = Buffer.allocUnsafe(end - start);
    let filled = 0;
    for (let c = this.chunk, from = start - this.base; filled < copy.length; c++, from = 0) {
      const piece = this.chunks[c]!.subarray(from, from + copy.length - filled);
      copy.set(piece, filled);
      filled += piece.length;
    }
    return copy;
  }

  /** The chunk holding `start`. */
  private seek(start: number): Buffer {
    if (start < this.base) {
      this.chunk = 0;
      this.base = 0;
    }
    while (this.chunk < this.chunks.length - 1 && start >= this.base + this.chunks[this.chunk]!.length) this.base += this.chunks[this.chunk++]!.length;
    return this.chunks[this.chunk]!;
  }
}

/** Zigzag varints over a Buffer, as Kafka's records write them. */
export class VarintReader {
  at = 0;
  /** Where the record being read ends in `buffer`. */
  end = 0;
  private buffer: Buffer = Buffer.alloc(0);

  over(buffer: Buffer, at: number, end: number): void {
    this.buffer = buffer;
    this.at = at;
    this.end = end;
  }

  varint(): number {
    const { buffer, end } = this;
    let at = this.at;
    // Up to four bytes (28 bits) in 32-bit arithmetic: lengths and deltas nearly always fit.
    let unsigned = 0;
    for (let shift = 0; shift < 28; shift += 7) {
      if (at >= end) throw new Error('a record batch ends inside a varint');
      const byte = buffer[at++]!;
      unsigned |= (byte & 0x7f) << shift;
      if (byte < 0x80) {
        this.at = at;
        return (unsigned >>> 1) ^ -(unsigned & 1);
      }
    }
    if (at >= end) throw new Error('a record batch ends inside a varint');
    const byte = buffer[at++]!;
    if (byte >= 0x80) throw new Error('a varint of a record batch is longer than 5 bytes');
    this.at = at;
    // Zigzag: 0, -1, 1, -2, … without 32-bit overflow.
    const value = unsigned + byte * 2 ** 28;
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }

  skipVarint(): void {
    while (this.at < this.end && this.buffer[this.at++]! >= 0x80);
  }

  /** Past a length-prefixed field. */
  skipBytes(): void {
    const length = this.varint();
    if (length > 0) this.at += length;
    if (this.at > this.end) throw new Error('a record field runs past its record');
  }

  /** A length-prefixed field: null for length -1. */
  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const start = this.at;
    this.at += length;
    if (this.at > this.end) throw new Error('a record field runs past its record');
    return this.buffer.subarray(start, this.at);
  }
}
