import { Transform } from 'node:stream';
import { type NdjsonSinkStats } from '../stages/format/delivery-lines.js';
export type { NdjsonSinkStats } from '../stages/format/delivery-lines.js';
export type NdjsonSinkStream = Transform & {
    readonly stats: NdjsonSinkStats;
};
/**
 * DeliveryBatch → NDJSON text, one line per event in delivery order:
 * {"delivery_batch":N,"key":"<visit_id>","value":<the event's original JSON>}.
 * The embedded default sink: pipe it to stdout or a file.
 */
export declare function ndjsonSink(): NdjsonSinkStream;
