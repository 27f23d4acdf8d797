import type { OutgoingRecord } from './port.js';

/**
 * An OutgoingRecord whose key and value are ranges of larger buffers (a chunk of delivery
 * lines; a batch's keys and the events' stored bytes), held without a view of their own: two
 * views per record were most of a run's garbage in delivery (bench/README.md). The
 * record-batch encoder copies the ranges; whoever reads `key` or `value` (another client's
 * adapter) gets a view.
 */
export class SlicedRecord implements OutgoingRecord {
  constructor(
    readonly partition: number,
    readonly keyBytes: Buffer,
    readonly keyStart: number,
    readonly keyEnd: number,
    readonly valueBytes: Buffer,
    readonly valueStart: number,
    readonly valueEnd: number,
    readonly headers: OutgoingRecord['headers'],
  ) {}

  get key(): Buffer {
    return this.keyBytes.subarray(this.keyStart, this.keyEnd);
  }

  get value(): Buffer {
    return this.valueBytes.subarray(this.valueStart, this.valueEnd);
  }
}

/** A record's key and value bytes, counted without making views. */
export function recordBytes(record: OutgoingRecord): number {
  if (record instanceof SlicedRecord) return record.keyEnd - record.keyStart + record.valueEnd - record.valueStart;
  return (record.key?.length ?? 0) + (record.value?.length ?? 0);
}
