import { Writable } from 'node:stream';
import { eventBytes } from '../events.js';
import { javaPartitioner } from '../kafka/java-partitioner.js';
import { DeliveryLineReader } from './delivery-line-reader.js';
import { PartitionSender } from './partition-sender.js';
export { BatchDeliveryError } from './partition-sender.js';
/**
 * A Writable of DeliveryBatches that produces them to Kafka in order. No batch holds a visit
 * twice, so all of a batch's records may be in flight at once; what must wait is the next
 * batch. The PartitionSender holds each partition's next share until its previous one is
 * acknowledged (a visit's events share a partition: murmur2 of the key), and the `batch`
 * barrier also holds the whole next batch. The write callback waits for acknowledgements, so
 * a slow broker pauses the whole pipeline. Records: key visit_id, value the event's original
 * bytes, header delivery_batch (and `late: true` for a late event in streaming mode).
 */
export class KafkaSink extends Writable {
    stats = { batches: 0, delivered: 0, requests: 0, resent: 0, deliverySeconds: 0 };
    /** Also takes chunks of delivery lines: see _write. */
    acceptsDeliveryLines = true;
    sender;
    partitionOf;
    barrier;
    maxBatchesInFlight;
    unsettled = new Set();
    firstBatchAt;
    lineReader;
    stopping = false;
    failure;
    observer;
    constructor(options) {
        super({ objectMode: true, highWaterMark: 1 });
        this.observer = options.observer;
        if (!(options.partitions > 0))
            throw new Error("the Kafka sink needs the topic's partition count (options.partitions)");
        this.barrier = options.barrier ?? 'partition';
        this.maxBatchesInFlight = this.barrier === 'batch' ? 1 : (options.maxBatchesInFlight ?? 4);
        this.partitionOf = javaPartitioner(options.partitions);
        this.sender = new PartitionSender({
            producer: options.producer,
            topic: options.topic,
            maxRequestBytes: options.maxRequestBytes ?? 900 * 1024,
            deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
            stats: this.stats,
            ...(options.logger && { logger: options.logger }),
        });
    }
    /**
     * Starts no further batch, and resolves once the batches being delivered are acknowledged
     * or have failed: what a signal handler waits for before tearing down.
     */
    stop() {
        this.stopping = true;
        return Promise.allSettled([...this.unsettled]).then(() => undefined);
    }
    /**
     * A DeliveryBatch, or a chunk of delivery lines (the NDJSON sink's format, as a merge on a
     * worker thread writes them: see DeliveryLineReader).
     */
    _write(chunk, _encoding, callback) {
        let batches;
        try {
            batches = Buffer.isBuffer(chunk)
                ? (this.lineReader ??= new DeliveryLineReader(this.partitionOf)).push(chunk)
                : [{ number: chunk.number, byPartition: this.recordsByPartition(chunk) }];
        }
        catch (error) {
            return callback(error);
        }
        this.deliver(batches, callback);
    }
    /**
     * Submits each batch once fewer than maxBatchesInFlight are unsettled (with the `batch`
     * barrier: once the one before is acknowledged), and accepts the next write on the same terms.
     */
    deliver(batches, callback) {
        const run = async () => {
            for (const batch of batches) {
                await this.whenFewerInFlight();
                if (this.stopping) {
                    // Fail the pipeline only once the batches accepted earlier have settled, so whoever
                    // reports the run afterwards counts every record they delivered.
                    await this.stop();
                    throw new Error(`stopped before delivery batch ${batch.number}`);
                }
                if (this.failure)
                    throw this.failure;
                this.firstBatchAt ??= performance.now();
                this.track(this.sender.submit(batch.number, batch.byPartition));
            }
            await this.whenFewerInFlight();
        };
        run().then(() => callback(), (error) => {
            // A failed delivery is reported through destroy(), once its sends are answered.
            if (error !== this.failure)
                callback(error);
        });
    }
    async whenFewerInFlight() {
        while (this.unsettled.size >= this.maxBatchesInFlight)
            await Promise.race(this.unsettled);
    }
    track(delivery) {
        this.unsettled.add(delivery);
        const submittedAt = performance.now();
        this.observer?.submitted();
        const settled = () => this.observer?.settled((performance.now() - submittedAt) / 1000);
        delivery.then(settled, settled);
        delivery.then(() => {
            this.unsettled.delete(delivery);
            this.stats.deliverySeconds = (performance.now() - this.firstBatchAt) / 1000;
        }, (error) => {
            this.unsettled.delete(delivery);
            if (this.failure)
                return;
            this.failure = error;
            // Sends still in flight are answered first, so `delivered` counts every record they wrote.
            void this.sender.idle().then(() => this.destroy(error));
        });
    }
    _final(callback) {
        let last;
        try {
            last = this.lineReader?.end();
        }
        catch (error) {
            return callback(error);
        }
        if (last)
            this.track(this.sender.submit(last.number, last.byPartition));
        Promise.all([...this.unsettled]).then(() => callback(), (error) => callback(error));
    }
    _destroy(error, callback) {
        if (error)
            this.sender.abort(error);
        callback(error);
    }
    recordsByPartition(batch) {
        const header = String(batch.number);
        const plain = [['delivery_batch', header]];
        const late = [
            ['delivery_batch', header],
            ['late', 'true'],
        ];
        const byPartition = new Map();
        for (const event of batch.events) {
            const key = Buffer.from(event.visitId);
            const partition = this.partitionOf(key);
            const record = { partition, key, value: eventBytes(event), headers: event.late ? late : plain };
            const share = byPartition.get(partition);
            if (share)
                share.push(record);
            else
                byPartition.set(partition, [record]);
        }
        return byPartition;
    }
}
export function kafkaSink(options) {
    return new KafkaSink(options);
}
//# sourceMappingURL=kafka-sink.js.map