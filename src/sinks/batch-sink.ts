import type { Writable } from 'node:stream';

import type { RecordBatchLayout } from '../kafka/encoded-batches.js';

/**
 * Where delivery batches go instead of an output stream, counting what it delivered. A sink that
 * also takes chunks of delivery lines (`acceptsDeliveryLines`, as KafkaSink does) is fed by
 * binPack() when the sort runs on workers, with no event object on the main thread; one with a
 * `recordBatchLayout` (KafkaSink on a producer that sends batches encoded ahead), with
 * binPack()'s EncodedDeliveryBatches.
 */
export type BatchSink = Writable & {
  readonly stats: { batches: number; delivered: number };
  readonly acceptsDeliveryLines?: boolean;
  readonly recordBatchLayout?: RecordBatchLayout | undefined;
};
