// Delivery batches as Kafka record batches encoded ahead of the producer, where the lines are
// made (binPack's merge worker), so that the thread that talks to the brokers only writes each
// batch's producer id, sequence, timestamps and CRC (sealRecordBatch) and sends it. Reading
// the lines back and encoding their records there, with the garbage that made, was most of
// that thread's work in delivery (bench/README.md).
import { DeliveryLineReader } from './delivery-line-reader.js';
import { javaRangePartitioner } from './java-partitioner.js';
import type { EncodedRecordBatch, OutgoingRecord } from './port.js';
import { readRecordBatches } from './record-batch-reader.js';
import { encodeRecordBatch, HEADER_BYTES, type BatchHeader } from './record-batch.js';
import { MAX_PART_BYTES, splitIntoParts } from './record-parts.js';

/** What a batch encoded ahead says until it is sealed: no producer, no timestamp, no CRC. */
const AHEAD: BatchHeader = { producerId: -1n, producerEpoch: -1, baseSequence: -1, transactional: false, partitionLeaderEpoch: -1, timestamp: 0n };
const NO_CRC = (): number => 0;

/** A delivery batch as record batches encoded ahead: a partition's records in parts (see MAX_PART_BYTES), in order. */
export class EncodedDeliveryBatch {
  constructor(
    readonly number: number,
    readonly parts: readonly EncodedRecordBatch[],
  ) {}

  /** Bytes of its parts. */
  get bytes(): number {
    let bytes = 0;
    for (const part of this.parts) bytes += part.bytes.length;
    return bytes;
  }

  /** A batch as a worker thread posted it (a structured clone: plain objects, Uint8Arrays). */
  static revive(posted: { number: number; parts: readonly { partition: number; records: number; bytes: Uint8Array }[] }): EncodedDeliveryBatch {
    return new EncodedDeliveryBatch(
      posted.number,
      posted.parts.map(({ partition, records, bytes }) => ({ partition, records, bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) })),
    );
  }

  /**
   * Frees its parts' bytes now (their ArrayBuffers detached), for a batch every part of which
   * is acknowledged. The garbage collector would free them only at its next full collection:
   * a batch waits for its acknowledgement long enough to be promoted, and a 1M-event run held
   * tens of MiB of delivered batches (bench/README.md). The buffers are the batch's own, made
   * by DeliveryBatchEncoder or posted from a worker thread; the batch is empty afterwards.
   */
  release(): void {
    for (const buffer of EncodedDeliveryBatch.transferList([this])) if (!buffer.detached) buffer.transfer(0);
  }

  /** The ArrayBuffers to transfer when posting batches to another thread (a batch's parts share one). */
  static transferList(batches: readonly EncodedDeliveryBatch[]): ArrayBuffer[] {
    const buffers = new Set<ArrayBuffer>();
    for (const batch of batches) for (const part of batch.parts) buffers.add(part.bytes.buffer as ArrayBuffer);
    return [...buffers];
  }
}

/** Where and how large the parts are: the topic's partition count and the sink's largest part. */
export interface RecordBatchLayout {
  partitions: number;
  /** Most record bytes in one part (default MAX_PART_BYTES, 900 KiB). */
  maxPartBytes?: number;
}

/**
 * A delivery batch's records, grouped by partition, → an EncodedDeliveryBatch: each
 * partition's records split into parts as PartitionSender splits them, each part encoded
 * straight into one new buffer for the whole batch, sized from the records beforehand (which
 * another thread may be handed: a buffer per part, of any size, freed by the thread it was
 * sent to, left the allocator's arenas fragmented; bench/README.md). A part that the estimate
 * left no room for gets a buffer of its own.
 */
export class DeliveryBatchEncoder {
  private readonly maxPartBytes: number;

  constructor(maxPartBytes = MAX_PART_BYTES) {
    this.maxPartBytes = Math.min(MAX_PART_BYTES, maxPartBytes);
  }

  encode(number: number, byPartition: ReadonlyMap<number, readonly OutgoingRecord[]>): EncodedDeliveryBatch {
    const parts: { partition: number; records: readonly OutgoingRecord[] }[] = [];
    let estimate = 0;
    for (const [partition, records] of byPartition) {
      splitIntoParts(records, this.maxPartBytes, (start, end, bytes) => {
        parts.push({ partition, records: start === 0 && end === records.length ? records : records.slice(start, end) });
        estimate += HEADER_BYTES + bytes;
      });
    }
    const slab = Buffer.allocUnsafeSlow(estimate);
    let used = 0;
    const take = (size: number): Buffer => (used + size <= slab.length ? slab.subarray(used, (used += size)) : Buffer.allocUnsafeSlow(size));
    return new EncodedDeliveryBatch(
      number,
      parts.map(({ partition, records }) => encodeAheadOfProducer(records, partition, take)),
    );
  }
}

/**
 * Delivery lines → EncodedDeliveryBatches: records keyed and partitioned as KafkaSink does
 * (DeliveryLineReader, Java's murmur2), then encoded by a DeliveryBatchEncoder.
 */
export class DeliveryLineEncoder {
  private readonly reader: DeliveryLineReader;
  private readonly encoder: DeliveryBatchEncoder;

  constructor(layout: RecordBatchLayout) {
    this.reader = new DeliveryLineReader(javaRangePartitioner(layout.partitions));
    this.encoder = new DeliveryBatchEncoder(layout.maxPartBytes);
  }

  /** Chunks that hold whole delivery batches (as LinePacker hands them out): hands each of their batches, encoded, to `emit`, in order. */
  encode(chunks: readonly Buffer[], emit: (batch: EncodedDeliveryBatch) => void): void {
    for (const chunk of chunks) for (const batch of this.reader.push(chunk)) emit(this.encoder.encode(batch.number, batch.byPartition));
    const last = this.reader.end();
    if (last) emit(this.encoder.encode(last.number, last.byPartition));
  }
}

/**
 * One partition's records (without timestamps of their own) as a record batch to seal later,
 * in a buffer of its own (or one `allocate` gives).
 */
export function encodeAheadOfProducer(records: readonly OutgoingRecord[], partition: number, allocate: (size: number) => Buffer = Buffer.allocUnsafeSlow): EncodedRecordBatch {
  return { partition, records: records.length, bytes: encodeRecordBatch(records, AHEAD, NO_CRC, undefined, allocate) };
}

/** The records of a batch encoded ahead, for a producer that takes only records: key and value as views of its bytes. */
export function recordsOfEncodedBatch(batch: EncodedRecordBatch): OutgoingRecord[] {
  const [read] = readRecordBatches([batch.bytes], () => {
    throw new Error('a batch encoded ahead is never compressed');
  });
  const headerCache = new Map<string, OutgoingRecord['headers']>();
  return (read?.records ?? []).map((record) => {
    const text = record.headers.map(([name, value]) => [name?.toString() ?? '', value?.toString() ?? ''] as const);
    const id = JSON.stringify(text);
    let headers = headerCache.get(id);
    if (!headers) headerCache.set(id, (headers = text));
    return { partition: batch.partition, key: record.key, value: record.value, headers };
  });
}
