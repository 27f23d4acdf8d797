import { KafkaSendError } from '../kafka/port.js';
export class BatchDeliveryError extends Error {
    name = 'BatchDeliveryError';
}
/** Bytes a record adds to a request beyond its key and value (framing, headers): an estimate. */
const RECORD_OVERHEAD_BYTES = 70;
/**
 * The sink's sender loop, built like a Kafka producer's: a queue of parts per partition. A
 * partition is ready when every part of its previous batch is acknowledged; then the parts of
 * its next batch may go. Each pump drains every ready part, of all partitions, into as few send
 * calls as maxRequestBytes allows (the client makes one produce request per broker of each),
 * and keeps going as acknowledgements arrive, so several calls may be in flight and a long
 * visit costs about one round trip per batch. Retries stay inside a part: nothing later on
 * its partition goes before it settles.
 */
export class PartitionSender {
    options;
    stats;
    /** Unsettled parts per partition, oldest batch first; a partition without any has no entry. */
    queues = new Map();
    unsettled = new Set();
    failure;
    retryTimer;
    pumpScheduled = false;
    /** Send calls not yet answered. */
    inFlight = new Set();
    constructor(options) {
        this.options = options;
        this.stats = options.stats ?? { batches: 0, delivered: 0, requests: 0, resent: 0 };
    }
    /**
     * Queues a delivery batch's records, grouped by partition, behind the batches submitted
     * before it on the same partitions. Resolves when all of them are acknowledged.
     */
    submit(batch, byPartition) {
        if (this.failure)
            return Promise.reject(this.failure);
        let settles;
        const done = new Promise((resolve, reject) => (settles = { parts: 0, resolve, reject }));
        for (const [partition, records] of byPartition) {
            if (records.length === 0)
                continue;
            let queue = this.queues.get(partition);
            if (!queue)
                this.queues.set(partition, (queue = []));
            for (const part of this.split(batch, partition, records, settles))
                queue.push(part);
        }
        if (settles.parts === 0) {
            this.stats.batches++;
            settles.resolve();
            return done;
        }
        this.unsettled.add(settles);
        this.schedulePump();
        return done;
    }
    /** Resolves once no send call is waiting for an answer: its records are then counted or not. */
    async idle() {
        while (this.inFlight.size > 0)
            await Promise.allSettled([...this.inFlight]);
    }
    /** Fails every unsettled batch: nothing more is sent. */
    abort(error) {
        this.fail(error);
    }
    split(batch, partition, records, settles) {
        const parts = [];
        let start = 0;
        let bytes = 0;
        const add = (end) => {
            parts.push({
                batch,
                partition,
                records: start === 0 && end === records.length ? records : records.slice(start, end),
                bytes,
                state: 'queued',
                attempts: 0,
                firstSent: 0,
                notBefore: 0,
                settles,
            });
            settles.parts++;
            start = end;
            bytes = 0;
        };
        for (let i = 0; i < records.length; i++) {
            const record = records[i];
            const size = (record.value?.length ?? 0) + (record.key?.length ?? 0) + RECORD_OVERHEAD_BYTES;
            if (i > start && bytes + size > this.options.maxRequestBytes)
                add(i);
            bytes += size;
        }
        if (records.length > start)
            add(records.length);
        return parts;
    }
    /** Pumps once the current task's submits and acknowledgements are all in, so they share calls. */
    schedulePump() {
        if (this.pumpScheduled)
            return;
        this.pumpScheduled = true;
        queueMicrotask(() => {
            this.pumpScheduled = false;
            this.pump();
        });
    }
    /** Sends every part whose partition is ready, in calls of at most maxRequestBytes. */
    pump() {
        if (this.failure)
            return;
        const now = performance.now();
        let call = [];
        let bytes = 0;
        let waiting = Number.POSITIVE_INFINITY;
        for (const queue of this.queues.values()) {
            const front = queue[0].batch;
            for (const part of queue) {
                if (part.batch !== front)
                    break;
                if (part.state !== 'queued')
                    continue;
                if (part.notBefore > now) {
                    waiting = Math.min(waiting, part.notBefore);
                    continue;
                }
                if (call.length > 0 && bytes + part.bytes > this.options.maxRequestBytes) {
                    this.dispatch(call);
                    call = [];
                    bytes = 0;
                }
                part.state = 'sending';
                if (part.attempts === 0)
                    part.firstSent = now;
                call.push(part);
                bytes += part.bytes;
            }
        }
        if (call.length > 0)
            this.dispatch(call);
        if (waiting !== Number.POSITIVE_INFINITY && !this.retryTimer) {
            this.retryTimer = setTimeout(() => {
                this.retryTimer = undefined;
                this.pump();
            }, Math.max(0, waiting - now));
        }
    }
    dispatch(parts) {
        const records = parts.length === 1 ? parts[0].records : parts.flatMap((part) => part.records);
        this.stats.requests++;
        const call = this.options.producer.send(this.options.topic, records).then(() => this.acknowledged(parts), (error) => this.failed(parts, error));
        this.inFlight.add(call);
        void call.finally(() => this.inFlight.delete(call));
    }
    acknowledged(parts) {
        // Acknowledged records are in the topic, even after another send failed the delivery.
        for (const part of parts)
            this.stats.delivered += part.records.length;
        if (this.failure)
            return;
        for (const part of parts) {
            part.state = 'acked';
            const queue = this.queues.get(part.partition);
            while (queue.length > 0 && queue[0].state === 'acked')
                queue.shift();
            if (queue.length === 0)
                this.queues.delete(part.partition);
            if (--part.settles.parts === 0) {
                this.unsettled.delete(part.settles);
                this.stats.batches++;
                part.settles.resolve();
            }
        }
        this.schedulePump();
    }
    failed(parts, error) {
        if (this.failure)
            return;
        const records = parts.reduce((n, part) => n + part.records.length, 0);
        const retriable = !(error instanceof KafkaSendError) || error.retriable;
        const attempts = Math.max(...parts.map((part) => part.attempts)) + 1;
        const reason = error.message.replace(/\.+$/, '');
        const now = performance.now();
        const firstSent = Math.min(...parts.map((part) => part.firstSent));
        if (!retriable || now - firstSent >= this.options.deliveryTimeoutMs) {
            const first = parts.reduce((a, b) => (b.batch < a.batch ? b : a));
            this.fail(new BatchDeliveryError(`delivery batch ${first.batch} failed${retriable ? ` after ${attempts} attempts in ${Math.round((now - firstSent) / 1000)} s (the delivery timeout)` : ' (not retriable)'}: ${reason}. ` +
                `${records} records of this send were not acknowledged; ${this.stats.batches} batches were delivered completely, ${this.stats.delivered} records in all.`, { cause: error }));
            return;
        }
        this.stats.resent += records;
        this.options.logger?.warn({ batches: [...new Set(parts.map((p) => p.batch))], attempt: attempts, records, err: error }, 'a send failed; re-sending its records, and nothing later on their partitions goes before them');
        const notBefore = now + Math.min(5000, (this.options.retryBackoffMs ?? 100) * 2 ** (attempts - 1));
        for (const part of parts) {
            part.state = 'queued';
            part.attempts = attempts;
            part.notBefore = notBefore;
        }
        this.schedulePump();
    }
    fail(error) {
        if (this.failure)
            return;
        this.failure = error;
        clearTimeout(this.retryTimer);
        this.queues.clear();
        for (const settles of this.unsettled)
            settles.reject(error);
        this.unsettled.clear();
    }
}
//# sourceMappingURL=partition-sender.js.map