import { randomUUID } from 'node:crypto';
import { KafkaSink } from '../sinks/kafka-sink.js';
import { MicroBatch } from './micro-batch.js';
import { TransactionScope } from './transaction-scope.js';
import { VisitWatermarks } from '../stages/late/visit-watermarks.js';
import { LateStateLog } from './late-state-log.js';
/** The micro-batch counts that add up over a job. */
const SUMMED = ['read', 'delivered', 'deadLettered', 'deduplicated', 'handedOver', 'late', 'batches'];
/** The longest transaction timeout a broker allows by default (transaction.max.timeout.ms). */
const MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000;
/** Changelog records per send call: well under a request's size limit. */
const LATE_STATE_SEND_RECORDS = 5000;
async function openLateStateLog(client, topic, inputTopic) {
    const partitions = await client.partitionCount(inputTopic);
    if (partitions === undefined)
        throw new Error(`input topic "${inputTopic}" does not exist`);
    return LateStateLog.open(client, topic, partitions);
}
/** Exactly-once: the job fails after this many aborted micro-batches without a commit between them. */
const MAX_ABORTS_IN_A_ROW = 5;
export function defaultTransactionTimeoutMs(triggerIntervalMs) {
    return Math.min(MAX_TRANSACTION_TIMEOUT_MS, Math.max(60_000, 3 * triggerIntervalMs));
}
/**
 * Streaming mode: consumes the input topic in micro-batches and runs each through the ordering
 * stages into the output topic. At-least-once: a micro-batch's offsets are committed once all
 * its delivery batches are acknowledged, so a crash delivers again and never loses.
 * Exactly-once: its output, dead-letter-topic records and offsets commit in one transaction,
 * fenced by the group generation (KIP-447); an abort reads everything again from the group's
 * commits, and undoes the late-event marks it made.
 *
 * Reading positions are the job's own: a partition newly assigned starts at the group's stable
 * committed offset (an open transaction of a previous owner is waited for). Every assignment
 * starts a new epoch; a record remembers the epoch it was read in, and when a micro-batch's
 * sorted events come out, those of partitions revoked since are dropped (handed over: the new
 * owner reads them from the committed offset). Offsets are committed only for partitions owned
 * without a break since they were read; in exactly-once runs a hand-over aborts the micro-batch.
 * Delivery batch numbers continue across micro-batches and instances: each commit carries the
 * highest number used, and an instance taking partitions over starts above what their commits say.
 */
export async function startStreamingJob(options) {
    const { client, logger, inputTopic, groupId } = options;
    const triggerIntervalMs = options.triggerIntervalMs ?? 20_000;
    const triggerEvents = options.triggerEvents ?? Number.POSITIVE_INFINITY;
    const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
    const heartbeatInterval = Math.max(500, Math.min(3000, Math.floor(sessionTimeout / 5)));
    const exactlyOnce = (options.guarantee ?? 'exactly-once') === 'exactly-once';
    const watermarks = new VisitWatermarks(options.late ?? {});
    const lateLog = options.late?.changelogTopic ? await openLateStateLog(client, options.late.changelogTopic, inputTopic) : undefined;
    /** Visits the TTL forgot: their tombstones go out with the next micro-batch. */
    let expired = [];
    const latePolicy = options.late?.policy ?? 'deliver';
    const totals = {
        microBatches: 0,
        read: 0,
        delivered: 0,
        deadLettered: 0,
        deduplicated: 0,
        handedOver: 0,
        late: 0,
        batches: 0,
        uncommitted: 0,
        aborted: 0,
    };
    const group = client.groupConsumer({
        groupId,
        topic: inputTopic,
        sessionTimeoutMs: sessionTimeout,
        heartbeatIntervalMs: heartbeatInterval,
        rebalanceTimeoutMs: Math.max(sessionTimeout, 60_000),
    });
    let transactional;
    const transactionTimeoutMs = options.transactionTimeoutMs ?? defaultTransactionTimeoutMs(triggerIntervalMs);
    const openTransactional = async () => (transactional ??= await client.transactionalProducer({
        transactionalId: `bin-packer-${groupId}-${randomUUID()}`,
        transactionTimeoutMs,
        compression: options.compression ?? 'none',
    }));
    let epoch = 0;
    /** Partitions owned now, and the epoch since which each has been owned without a break. */
    const ownedSince = new Map();
    /** Where the next fetch of each owned partition starts; missing until read from the group's commits. */
    const positions = new Map();
    /** Per owned partition: the last offset this instance delivered (and committed, or tried to). */
    const deliveredThrough = new Map();
    const highWatermarks = new Map();
    let nextBatch = 1;
    let current;
    /** The micro-batch being delivered and committed, if any. */
    let flushing;
    let microBatchNumber = 0;
    let stopping = false;
    let lastCommitAt;
    let failure;
    let assigned;
    let abortsInARow = 0;
    let generation;
    group.onAssignment((assignment) => {
        epoch++;
        // A generation skipped means this member was out of the group meanwhile (paused past the
        // session timeout): others may have owned any of its partitions since.
        if (generation !== undefined && assignment.generation !== generation + 1) {
            ownedSince.clear();
            positions.clear();
            deliveredThrough.clear();
        }
        generation = assignment.generation;
        const owned = new Set(assignment.partitions);
        for (const partition of [...ownedSince.keys()]) {
            if (!owned.has(partition)) {
                ownedSince.delete(partition);
                positions.delete(partition);
                deliveredThrough.delete(partition);
            }
        }
        for (const partition of owned)
            if (!ownedSince.has(partition))
                ownedSince.set(partition, epoch);
        logger.info({ group: groupId, partitions: assignment.partitions, generation: assignment.generation, epoch }, 'partitions assigned');
        assigned?.();
    });
    const stillOwned = (partition, readInEpoch) => {
        const since = ownedSince.get(partition);
        return since !== undefined && since <= readInEpoch;
    };
    /** Reads the group's commits (stable) for owned partitions without a position: where to start, and the batch numbers used. */
    async function startPositions() {
        const missing = [...ownedSince.keys()].filter((partition) => !positions.has(partition));
        if (missing.length === 0)
            return;
        const readIn = epoch;
        const committed = await group.committed(missing);
        const fallback = await group.startOffsets(missing, options.startFrom ?? 'earliest');
        if (readIn !== epoch)
            return; // reassigned meanwhile: read again for the new assignment
        if (lateLog) {
            const visits = await lateLog.restore(missing, watermarks);
            logger.info({ partitions: missing, visits, topic: lateLog.topic }, 'late-event state restored');
        }
        for (const partition of missing) {
            const commit = committed.get(partition);
            const offset = commit && commit.offset >= 0n ? commit.offset : fallback.get(partition);
            positions.set(partition, offset);
            deliveredThrough.set(partition, offset - 1n);
            nextBatch = Math.max(nextBatch, batchFloorOf(commit?.metadata ?? null));
        }
    }
    function batchFloorOf(metadata) {
        if (!metadata)
            return 1;
        try {
            return (JSON.parse(metadata).lastDeliveryBatch ?? 0) + 1;
        }
        catch {
            return 1; // another tool's metadata: not ours to read
        }
    }
    /** Exactly-once: each micro-batch's sink sends through the transaction set at delivery. */
    const transactionOf = new WeakMap();
    function openMicroBatch() {
        const deferred = exactlyOnce ? new DeferredProducer() : undefined;
        // Its late-event marks: written to the changelog with it, undone if its transaction aborts.
        watermarks.begin();
        const batch = new MicroBatch({
            number: ++microBatchNumber,
            topic: inputTopic,
            firstBatch: nextBatch,
            sink: new KafkaSink({
                ...options.sink,
                // In a transaction a re-send could write a record twice: a failed send aborts the micro-batch instead.
                ...(exactlyOnce && { deliveryTimeoutMs: 0 }),
                producer: deferred ?? options.producer,
                topic: options.outputTopic,
                logger,
            }),
            deadLetters: options.deadLetters,
            late: { watermarks, policy: latePolicy },
            stillOwned,
            ...(options.dedupe !== undefined && { dedupe: options.dedupe }),
            ...(options.maxRowBytes !== undefined && { maxRowBytes: options.maxRowBytes }),
            ...(options.sort && { sort: options.sort }),
            ...(options.bin && { bin: options.bin }),
        });
        if (deferred)
            transactionOf.set(batch, deferred);
        return batch;
    }
    /** Waits (up to the session timeout) for a rebalance in progress to end. */
    async function settledAssignment() {
        if (group.assignment)
            return;
        await new Promise((resolve) => {
            const timer = setTimeout(resolve, sessionTimeout);
            assigned = () => {
                clearTimeout(timer);
                resolve();
            };
        });
        assigned = undefined;
    }
    async function flush() {
        const batch = current;
        current = undefined;
        if (!batch)
            return;
        flushing = batch;
        try {
            await (exactlyOnce ? deliverInTransaction(batch) : deliverAndCommit(batch));
        }
        finally {
            flushing = undefined;
        }
    }
    function offsetsOf(batch) {
        const metadata = JSON.stringify({ lastDeliveryBatch: nextBatch - 1 });
        const commits = [];
        const handedOver = [];
        for (const [partition, { next, epoch: readIn }] of batch.nextOffsets) {
            if (stillOwned(partition, readIn))
                commits.push({ partition, offset: next, metadata });
            else
                handedOver.push(partition);
        }
        return { commits, handedOver };
    }
    /** At-least-once: deliver, then commit the offsets of the partitions still owned. */
    async function deliverAndCommit(batch) {
        const started = Date.now();
        await options.onMoment?.('sort', batch.number);
        const summary = await batch.finish();
        await options.deadLetters.flush?.();
        await writeLateState(options.producer);
        watermarks.commit();
        await options.onMoment?.('commit', batch.number);
        if (summary.batches > 0)
            nextBatch = summary.lastBatch + 1;
        await settledAssignment();
        const { commits, handedOver } = offsetsOf(batch);
        let committed = true;
        try {
            if (commits.length > 0)
                await group.commit(commits);
            expired = [];
            lastCommitAt = Date.now();
            for (const { partition, offset } of commits)
                deliveredThrough.set(partition, offset - 1n);
        }
        catch (error) {
            committed = false;
            totals.uncommitted++;
            logger.warn({ err: error, microBatchNumber: summary.number }, 'offsets not committed (a rebalance?): these records are delivered and may be delivered again by the next owner');
        }
        account(batch, summary, { committed, handedOverPartitions: handedOver }, started);
    }
    /**
     * Exactly-once: the output, the dead-letter-topic records and the offsets in one transaction.
     * A partition handed over since its records were read aborts it all (its output would
     * otherwise be delivered again by the new owner); so does a refused commit (this instance
     * was fenced). After an abort every owned partition is read again from the group's commits.
     */
    async function deliverInTransaction(batch) {
        const started = Date.now();
        const scope = new TransactionScope(await openTransactional());
        let summary;
        try {
            let sent = false;
            transactionOf.get(batch).target = {
                send: async (topic, records) => {
                    await scope.send(topic, records);
                    if (!sent && (sent = true))
                        await options.onMoment?.('delivery', batch.number);
                },
                close: () => scope.close(),
            };
            await options.onMoment?.('sort', batch.number);
            summary = await batch.finish();
            await options.deadLetters.flush?.(scope);
            await writeLateState(scope);
            await options.onMoment?.('commit', batch.number);
            await settledAssignment();
            const { commits, handedOver } = offsetsOf(batch);
            if (handedOver.length > 0)
                throw new HandedOver(handedOver);
            if (summary.batches > 0)
                nextBatch = summary.lastBatch + 1;
            const metadata = JSON.stringify({ lastDeliveryBatch: nextBatch - 1 });
            await scope.commit(group, commits.map((commit) => ({ ...commit, metadata })));
            watermarks.commit();
            expired = [];
            abortsInARow = 0;
            lastCommitAt = Date.now();
            for (const { partition, offset } of commits)
                deliveredThrough.set(partition, offset - 1n);
            account(batch, summary, { committed: true, transaction: scope.begun }, started);
        }
        catch (error) {
            totals.aborted++;
            abortsInARow++;
            batch.abort(error);
            watermarks.rollback();
            await scope
                .abort()
                .catch((abortError) => logger.warn({ err: abortError }, 'aborting the transaction failed; the broker aborts it at its timeout'));
            if (!(error instanceof HandedOver)) {
                // A fenced or failed producer is not used again.
                const old = transactional;
                transactional = undefined;
                await old?.close().catch(() => undefined);
            }
            positions.clear();
            if (abortsInARow >= MAX_ABORTS_IN_A_ROW)
                throw new Error(`${abortsInARow} micro-batches aborted in a row; the last: ${error.message}`, { cause: error });
            logger.warn({ err: error, microBatchNumber: batch.number }, `micro-batch ${batch.number} aborted (${error instanceof HandedOver ? `partitions ${error.partitions.join(', ')} handed over` : error.message}): read again from the committed offsets`);
        }
    }
    /** The late-event marks this micro-batch changed, and the tombstones pending, into the changelog. */
    async function writeLateState(via) {
        if (!lateLog)
            return;
        const records = lateLog.records(watermarks.changed(), expired);
        for (let i = 0; i < records.length; i += LATE_STATE_SEND_RECORDS)
            await via.send(lateLog.topic, records.slice(i, i + LATE_STATE_SEND_RECORDS));
    }
    function account(batch, summary, outcome, started) {
        expired.push(...watermarks.expire());
        const seconds = (Date.now() - batch.openedAt) / 1000;
        let lag = 0n;
        for (const partition of ownedSince.keys()) {
            const high = highWatermarks.get(partition);
            const through = deliveredThrough.get(partition);
            if (high !== undefined && through !== undefined && high > through + 1n)
                lag += high - through - 1n;
        }
        totals.microBatches++;
        for (const count of SUMMED)
            totals[count] += summary[count];
        options.onMicroBatch?.(seconds);
        logger.info({
            microBatch: { ...summary, ...outcome, lag: Number(lag), seconds, deliverSeconds: (Date.now() - started) / 1000 },
            eventsPerSecond: Math.round(summary.read / Math.max(seconds, 1e-3)),
            lateStateVisits: watermarks.size,
        }, `micro-batch ${summary.number}: ${summary.read} records, ${summary.delivered} delivered in batches ${summary.firstBatch}..${summary.lastBatch}, lag ${lag}`);
    }
    /** The consumer loop: fetch, add to the micro-batch, close it on its trigger. */
    async function run() {
        while (!stopping) {
            await startPositions();
            const wanted = new Map();
            for (const partition of ownedSince.keys()) {
                const position = positions.get(partition);
                if (position !== undefined)
                    wanted.set(partition, position);
            }
            const readIn = epoch;
            const untilTrigger = current ? Math.max(0, current.openedAt + triggerIntervalMs - Date.now()) : triggerIntervalMs;
            const fetched = await group.fetch(wanted, Math.max(10, Math.min(500, untilTrigger)));
            for (const { partition, records, nextOffset, highWatermark } of fetched) {
                if (stopping)
                    break;
                highWatermarks.set(partition, highWatermark);
                // Reassigned while the fetch was out: what it read is for the partition's new owner.
                if (readIn !== epoch && !stillOwned(partition, readIn))
                    continue;
                if (positions.get(partition) !== wanted.get(partition))
                    continue;
                let rest = records;
                while (rest.length > 0 && positions.has(partition)) {
                    current ??= openMicroBatch();
                    const room = triggerEvents - current.read;
                    await current.add(partition, readIn, rest.slice(0, room));
                    rest = rest.slice(room);
                    if (current.read >= triggerEvents)
                        await flush();
                }
                // An aborted micro-batch cleared the positions: everything is read again from the commits.
                if (positions.has(partition))
                    positions.set(partition, nextOffset);
            }
            if (current && Date.now() - current.openedAt >= triggerIntervalMs)
                await flush();
        }
    }
    let settle;
    const done = new Promise((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined);
    try {
        await group.join();
    }
    catch (error) {
        await group.close().catch(() => undefined);
        throw error;
    }
    const finished = run().then(async () => {
        await flush();
    }, (error) => {
        failure = error;
        current?.abort(error);
        current = undefined;
        throw error;
    });
    void finished
        .finally(async () => {
        await group.close().catch(() => undefined);
        await transactional?.close().catch(() => undefined);
    })
        .then(() => settle.resolve(totals), (error) => settle.reject(error));
    let stopped;
    const stop = () => (stopped ??= (() => {
        stopping = true;
        return done;
    })());
    const status = () => {
        const lag = new Map();
        for (const partition of ownedSince.keys()) {
            const high = highWatermarks.get(partition);
            const delivered = deliveredThrough.get(partition);
            if (high !== undefined && delivered !== undefined)
                lag.set(partition, Math.max(0, Number(high - 1n - delivered)));
        }
        // A process stopped (SIGSTOP) or starved past the session timeout has been dropped from the group.
        const heartbeat = group.lastHeartbeatAt;
        const live = group.assignment !== undefined && !failure && heartbeat !== undefined && Date.now() - heartbeat <= sessionTimeout;
        return { inGroup: live, lag, lastCommitAt, openSince: (flushing ?? current)?.openedAt };
    };
    return { totals, status, stop, done };
}
/** A transaction aborted because partitions it read from were reassigned. */
class HandedOver extends Error {
    partitions;
    constructor(partitions) {
        super(`partitions ${partitions.join(', ')} were reassigned`);
        this.partitions = partitions;
    }
}
/** The sink's producer in exactly-once runs: sends through the micro-batch's transaction, set when it is delivered. */
export class DeferredProducer {
    target;
    send(topic, records) {
        if (!this.target)
            return Promise.reject(new Error('a micro-batch sent before its transaction was set'));
        return this.target.send(topic, records);
    }
    close() {
        return Promise.resolve();
    }
}
//# sourceMappingURL=streaming-job.js.map