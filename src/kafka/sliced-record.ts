import type { OutgoingRecord } from './port.js';

/**
 * An OutgoingRecord whose key and value are ranges of one buffer (a chunk of delivery lines),
 * held without a view of their own: two views per record were most of a file run's garbage in
 * delivery (bench/README.md). The record-batch encoder copies the ranges; whoever reads `key`
 * or `value` (another client's adapter) gets a view.
 */
export class SlicedRecord implements OutgoingRecord {
  constructor(
    readonly partition: number,
    readonly bytes: Buffer,
    readonly keyStart: number,
    readonly keyEnd: number,
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly headers: OutgoingRecord['headers'],
  ) {}

  get key(): Buffer {
    return this.bytes.subarray(this.keyStart, this.keyEnd);
  }

  get value(): Buffer {
    return this.bytes.subarray(this.valueStart, this.valueEnd);
  }
}

/** A record's key and value bytes, counted without making views. */
export function recordBytes(record: OutgoingRecord): number {
  if (record instanceof SlicedRecord) return record.keyEnd - record.keyStart + record.valueEnd - record.valueStart;
  return (record.key?.length ?? 0) + (record.value?.length ?? 0);
}
