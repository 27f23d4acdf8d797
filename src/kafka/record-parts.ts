import type { OutgoingRecord } from './port.js';
import { HEADER_BYTES } from './record-batch.js';
import { recordBytes } from './sliced-record.js';

/**
 * Most record bytes of one partition in one send call: the client writes them as one record
 * batch, which must stay under the broker's default message.max.bytes (1 MiB).
 */
export const MAX_PART_BYTES = 900 * 1024;

/**
 * The most record bytes of one partition in one send: MAX_PART_BYTES, or less when the topic
 * takes smaller record batches (its max.message.bytes, less the batch's header) or a send
 * call may carry less.
 */
export function partBytesFor(maxMessageBytes?: number, maxRequestBytes = Number.POSITIVE_INFINITY): number {
  const batchLimit = maxMessageBytes === undefined ? Number.POSITIVE_INFINITY : maxMessageBytes - HEADER_BYTES;
  return Math.max(1, Math.min(MAX_PART_BYTES, maxRequestBytes, batchLimit));
}

/**
 * Bytes a record adds to a request beyond its key and value: at most 31 of framing and 37 of
 * the sink's headers (delivery_batch and late), so a part's record batch is never larger than
 * its estimate plus the batch's header.
 */
export const RECORD_OVERHEAD_BYTES = 70;

/**
 * Splits one partition's records of a delivery batch (or any records, so that no partition's
 * share of a send outgrows a part) into parts of at most `maxPartBytes` (estimated; a record
 * larger than that is a part of its own): `part` gets each part's range `[start, end)` of
 * `records` and its estimated bytes, in order.
 */
export function splitIntoParts(records: readonly OutgoingRecord[], maxPartBytes: number, part: (start: number, end: number, bytes: number) => void): void {
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < records.length; i++) {
    const size = recordBytes(records[i]!) + RECORD_OVERHEAD_BYTES;
    if (i > start && bytes + size > maxPartBytes) {
      part(start, i, bytes);
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (records.length > start) part(start, records.length, bytes);
}
