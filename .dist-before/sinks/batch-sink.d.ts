import type { Writable } from 'node:stream';
/**
 * Where delivery batches go instead of an output stream, counting what it delivered. A sink that
 * also takes chunks of delivery lines (`acceptsDeliveryLines`, as KafkaSink does) is fed by
 * binPack() when the sort runs on workers, with no event object on the main thread.
 */
export type BatchSink = Writable & {
    readonly stats: {
        batches: number;
        delivered: number;
    };
    readonly acceptsDeliveryLines?: boolean;
};
