// Kafka's record batch (magic v2), encoded into one Buffer in two passes: sizes, then bytes.
// A client that builds each record from small buffers and joins them spends most of a
// produce call allocating and copying; this is what Java's MemoryRecordsBuilder avoids too.
// Layout: https://kafka.apache.org/documentation/#recordbatch

import { SlicedRecord } from './sliced-record.js';

/**
 * A record as the batch holds it: key and value bytes (a SlicedRecord's are ranges of larger
 * buffers), and headers as bytes or as [name, value] strings (an OutgoingRecord is one as it stands).
 */
export interface BatchRecord {
  key?: Uint8Array | null | undefined;
  value?: Uint8Array | null | undefined;
  headers?: ReadonlyMap<Uint8Array, Uint8Array> | ReadonlyArray<readonly [string, string]> | undefined;
  /** Milliseconds since the epoch; BatchHeader.timestamp when not given. */
  timestamp?: bigint | undefined;
}

export interface BatchHeader {
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  /** Marks the batch as part of a transaction. */
  transactional: boolean;
  partitionLeaderEpoch: number;
  /** The create time of records that carry none (milliseconds since the epoch). */
  timestamp: bigint;
}

/** The bytes of the records section, compressed; returns its input when there is no compression. */
export type Compress = (records: Buffer) => Buffer;

export interface Compression {
  /** The codec's bits in the batch attributes (gzip 1, snappy 2, lz4 3, zstd 4). */
  bitmask: number;
  compress: Compress;
}

/** CRC-32C (Castagnoli) of the bytes. */
export type Crc32c = (bytes: Buffer) => number;

/** A batch header's bytes: its records start here. */
export const HEADER_BYTES = 61;
/** Where the CRC-covered part starts: after baseOffset, batchLength, partitionLeaderEpoch, magic, crc. */
export const ATTRIBUTES_AT = 21;
const TRANSACTIONAL = 0x10;

/**
 * The batch's bytes. `allocate` gives the buffer the uncompressed batch is written into: a
 * caller that copies the bytes out at once may hand out space it reuses.
 */
export function encodeRecordBatch(
  records: readonly BatchRecord[],
  header: BatchHeader,
  crc32c: Crc32c,
  compression?: Compression,
  allocate: (size: number) => Buffer = Buffer.allocUnsafe,
): Buffer {
  const first = records[0]!.timestamp ?? header.timestamp;
  let max = first;
  let recordsBytes = 0;
  const deltas = new Array<number>(records.length);
  const sizes = new Array<number>(records.length);
  const headers = new Array<Buffer>(records.length);
  const encoded = new HeaderEncodings();
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const timestamp = record.timestamp ?? header.timestamp;
    if (timestamp > max) max = timestamp;
    const delta = timestamp === first ? 0 : Number(timestamp - first);
    deltas[i] = delta;
    headers[i] = encoded.of(record.headers);
    const keyAndValue =
      record instanceof SlicedRecord
        ? rangeFieldSize(record.keyEnd - record.keyStart) + rangeFieldSize(record.valueEnd - record.valueStart)
        : bytesFieldSize(record.key) + bytesFieldSize(record.value);
    const body = 1 + varlongSize(delta) + varintSize(i) + keyAndValue + headers[i]!.length;
    sizes[i] = body;
    recordsBytes += varintSize(body) + body;
  }

  let batch = allocate(HEADER_BYTES + recordsBytes);
  let at = HEADER_BYTES;
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    at = writeVarint(batch, at, sizes[i]!);
    batch[at++] = 0; // record attributes: unused
    at = writeVarlong(batch, at, deltas[i]!);
    at = writeVarint(batch, at, i);
    if (record instanceof SlicedRecord) {
      at = writeRangeField(batch, at, record.keyBytes, record.keyStart, record.keyEnd);
      at = writeRangeField(batch, at, record.valueBytes, record.valueStart, record.valueEnd);
    } else {
      at = writeBytesField(batch, at, record.key);
      at = writeBytesField(batch, at, record.value);
    }
    batch.set(headers[i]!, at);
    at += headers[i]!.length;
  }

  if (compression) batch = compressed(batch, compression);
  writeHeader(batch, records.length, first, max, header, compression, crc32c);
  return batch;
}

/**
 * A batch encoded ahead of its producer (records without timestamps of their own, any header:
 * encodeAheadOfProducer in encoded-batches.ts) finished for sending: producer id, epoch,
 * sequence, timestamps, compression and CRC as encodeRecordBatch would have written them with
 * `header`. Uncompressed, the bytes are rewritten where they are and returned; compressed, a
 * new buffer, the records left as they were (for a retry).
 */
export function sealRecordBatch(batch: Buffer, header: BatchHeader, crc32c: Crc32c, compression?: Compression): Buffer {
  const sealed = compression ? compressed(batch, compression) : batch;
  writeHeader(sealed, batch.readInt32BE(RECORD_COUNT_AT), header.timestamp, header.timestamp, header, compression, crc32c);
  return sealed;
}

const RECORD_COUNT_AT = 57;

/** The batch with its records section compressed, in a new buffer whose header is still to be written. */
function compressed(batch: Buffer, compression: Compression): Buffer {
  const records = compression.compress(batch.subarray(HEADER_BYTES));
  const whole = Buffer.allocUnsafe(HEADER_BYTES + records.length);
  records.copy(whole, HEADER_BYTES);
  return whole;
}

function writeHeader(batch: Buffer, count: number, first: bigint, max: bigint, header: BatchHeader, compression: Compression | undefined, crc32c: Crc32c): void {
  const attributes = (header.transactional ? TRANSACTIONAL : 0) | (compression?.bitmask ?? 0);
  batch.writeBigInt64BE(0n, 0); // baseOffset: the broker assigns it
  batch.writeInt32BE(batch.length - 12, 8);
  batch.writeInt32BE(header.partitionLeaderEpoch, 12);
  batch.writeInt8(2, 16); // magic
  batch.writeInt16BE(attributes, ATTRIBUTES_AT);
  batch.writeInt32BE(count - 1, 23); // lastOffsetDelta
  batch.writeBigInt64BE(first, 27);
  batch.writeBigInt64BE(max, 35);
  batch.writeBigInt64BE(header.producerId, 43);
  batch.writeInt16BE(header.producerEpoch, 51);
  batch.writeInt32BE(header.baseSequence, 53);
  batch.writeInt32BE(count, RECORD_COUNT_AT);
  batch.writeUInt32BE(crc32c(batch.subarray(ATTRIBUTES_AT)) >>> 0, 17);
}

function bytesFieldSize(bytes: Uint8Array | null | undefined): number {
  return bytes == null ? 1 : rangeFieldSize(bytes.length);
}

function rangeFieldSize(length: number): number {
  return varintSize(length) + length;
}

const NO_HEADERS: Buffer = Buffer.from([0]);

/**
 * Records' headers as they are written (count, then names and values), encoded once per
 * headers object: the records of a delivery batch share one (or two, with late events), and
 * iterating a Map per record, twice, made most of a batch's garbage.
 */
class HeaderEncodings {
  private last: BatchRecord['headers'];
  private lastBytes: Buffer = NO_HEADERS;
  private readonly others = new Map<NonNullable<BatchRecord['headers']>, Buffer>();

  of(headers: BatchRecord['headers']): Buffer {
    if (headers === this.last) return this.lastBytes;
    if (!headers || (headers instanceof Map ? headers.size : (headers as readonly unknown[]).length) === 0) return NO_HEADERS;
    let bytes = this.others.get(headers);
    if (!bytes) this.others.set(headers, (bytes = encodeHeaders(headers)));
    this.last = headers;
    this.lastBytes = bytes;
    return bytes;
  }
}

/** A record's headers as [name, value] bytes, whichever form they came in. */
export function headerBytes(headers: NonNullable<BatchRecord['headers']>): ReadonlyArray<readonly [Uint8Array, Uint8Array]> {
  if (headers instanceof Map) return [...(headers as ReadonlyMap<Uint8Array, Uint8Array>)];
  return (headers as ReadonlyArray<readonly [string, string]>).map(([name, value]) => [Buffer.from(name), Buffer.from(value)]);
}

function encodeHeaders(given: NonNullable<BatchRecord['headers']>): Buffer {
  const headers = headerBytes(given);
  let size = varintSize(headers.length);
  for (const [name, value] of headers) size += bytesFieldSize(name) + bytesFieldSize(value);
  const bytes = Buffer.allocUnsafe(size);
  let at = writeVarint(bytes, 0, headers.length);
  for (const [name, value] of headers) {
    at = writeBytesField(bytes, at, name);
    at = writeBytesField(bytes, at, value);
  }
  return bytes;
}

/** `bytes[start, end)` as a bytes field: the copy made without a view of the range. */
function writeRangeField(batch: Buffer, at: number, bytes: Buffer, start: number, end: number): number {
  at = writeVarint(batch, at, end - start);
  return at + bytes.copy(batch, at, start, end);
}

function writeBytesField(batch: Buffer, at: number, bytes: Uint8Array | null | undefined): number {
  if (bytes == null) {
    batch[at] = 1; // -1, zigzag-encoded
    return at + 1;
  }
  at = writeVarint(batch, at, bytes.length);
  batch.set(bytes, at);
  return at + bytes.length;
}

/** Bytes of a signed 32-bit value as a zigzag varint. */
function varintSize(value: number): number {
  let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
  let size = 1;
  while (zigzag >= 0x80) {
    zigzag >>>= 7;
    size++;
  }
  return size;
}

function writeVarint(batch: Buffer, at: number, value: number): number {
  let zigzag = ((value << 1) ^ (value >> 31)) >>> 0;
  while (zigzag >= 0x80) {
    batch[at++] = (zigzag & 0x7f) | 0x80;
    zigzag >>>= 7;
  }
  batch[at++] = zigzag;
  return at;
}

/** A timestamp delta as a zigzag varlong; deltas within a batch are small, so a double holds them. */
function varlongSize(value: number): number {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  let size = 1;
  while (zigzag >= 0x80) {
    zigzag = Math.floor(zigzag / 128);
    size++;
  }
  return size;
}

function writeVarlong(batch: Buffer, at: number, value: number): number {
  let zigzag = value >= 0 ? value * 2 : -value * 2 - 1;
  while (zigzag >= 0x80) {
    batch[at++] = (zigzag % 128) | 0x80;
    zigzag = Math.floor(zigzag / 128);
  }
  batch[at++] = zigzag;
  return at;
}
