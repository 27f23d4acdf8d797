// Streaming mode's side of the @platformatic/kafka adapter: a consumer group member that reads
// by offsets the caller keeps, and transactions that commit the group's offsets with the
// output. The client's MessagesStream and its offset helpers are not used, for reasons
// measured against 2.12.1 (issue 13): the stream goes on delivering records buffered before a
// rebalance, its committed-offset lookup does not ask for stable offsets, concurrent
// Transaction.addOffset calls keep one partition's offset, and its read_committed filter lets
// aborted records through. Membership, heartbeats, rejoins, metadata and fetch sessions stay
// the client's. Group requests (offsets, commits) go over a pool of their own, so that a
// long-polling fetch never delays them.
import { ConnectionPool, Consumer, FetchIsolationLevels, findErrorBy, offsetCommitV8, offsetFetchV8, txnOffsetCommitV3, } from '@platformatic/kafka';
import { replaceApi } from './platformatic-apis.js';
import { committedBatches } from './aborted-transactions.js';
/** How long a stable offset lookup waits out a transaction that holds it (beyond this the job fails). */
const UNSTABLE_OFFSET_WAIT_MS = 15 * 60_000;
export class PlatformaticGroupConsumer {
    settings;
    logger;
    consumer;
    /** For group requests (offsets, commits), apart from the fetches' connections. */
    groupPool;
    current;
    listeners = [];
    heartbeatAt;
    constructor(base, settings, logger) {
        this.settings = settings;
        this.logger = logger;
        this.consumer = keepAllBatches(new Consumer({
            ...base,
            groupId: settings.groupId,
            autocommit: false,
            sessionTimeout: settings.sessionTimeoutMs,
            heartbeatInterval: settings.heartbeatIntervalMs,
            rebalanceTimeout: settings.rebalanceTimeoutMs,
            isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        }));
        this.groupPool = new ConnectionPool(`${base.clientId}-group`, base);
        this.consumer.on('consumer:group:join', ({ generationId, assignments }) => {
            const owned = assignments?.find((a) => a.topic === settings.topic)?.partitions ?? [];
            this.current = { generation: generationId ?? -1, partitions: [...owned].sort((a, b) => a - b) };
            this.heartbeatAt = Date.now();
            for (const listener of this.listeners)
                listener(this.current);
        });
        this.consumer.on('consumer:heartbeat:end', () => (this.heartbeatAt = Date.now()));
        this.consumer.on('consumer:heartbeat:error', ({ error }) => {
            // A rebalance starts with a heartbeat refused: the assignment stands until the rejoin completes.
            if (findErrorBy(error, 'apiId', 'REBALANCE_IN_PROGRESS'))
                this.current = undefined;
        });
    }
    get assignment() {
        return this.current;
    }
    get lastHeartbeatAt() {
        return this.heartbeatAt;
    }
    /** The member's identity in its generation, for commits (undefined while rejoining). */
    get member() {
        const memberId = this.consumer.memberId;
        return this.current && memberId ? { generationId: this.current.generation, memberId } : undefined;
    }
    onAssignment(listener) {
        this.listeners.push(listener);
    }
    async join() {
        this.consumer.topics.track(this.settings.topic);
        await this.consumer.joinGroup({});
        if (!this.current)
            throw new Error(`joined group "${this.settings.groupId}" without an assignment`);
        return this.current;
    }
    async fetch(positions, maxWaitMs) {
        if (positions.size === 0) {
            await delay(Math.min(maxWaitMs, 100));
            return [];
        }
        return (await fetchPartitions(this.consumer, this.settings.topic, positions, maxWaitMs, 'read_committed')).partitions;
    }
    async committed(partitions) {
        const started = Date.now();
        for (let attempt = 0;; attempt++) {
            try {
                const connection = await this.coordinatorConnection();
                const response = await offsetFetchV8.api.async(connection, [{ groupId: this.settings.groupId, memberId: null, memberEpoch: -1, topics: [{ name: this.settings.topic, partitionIndexes: [...partitions] }] }], true);
                const committed = new Map();
                for (const group of response.groups) {
                    for (const topic of group.topics) {
                        for (const p of topic.partitions)
                            committed.set(p.partitionIndex, { offset: p.committedOffset, metadata: p.metadata ?? null });
                    }
                }
                return committed;
            }
            catch (error) {
                // An open transaction holds offsets of these partitions: wait until it commits or aborts.
                if (findErrorBy(error, 'apiId', 'UNSTABLE_OFFSET_COMMIT') && Date.now() - started < UNSTABLE_OFFSET_WAIT_MS) {
                    if (attempt % 50 === 0)
                        this.logger.info({ partitions }, 'waiting for an open transaction of this group to end before reading its offsets');
                    await delay(100);
                    continue;
                }
                if (retriableGroupError(error) && attempt < 10) {
                    this.coordinator = undefined;
                    await delay(200);
                    continue;
                }
                throw error;
            }
        }
    }
    async startOffsets(partitions, from) {
        const offsets = await this.consumer.listOffsets({
            topics: [this.settings.topic],
            partitions: { [this.settings.topic]: [...partitions] },
            timestamp: from === 'earliest' ? -2n : -1n,
            isolationLevel: FetchIsolationLevels.READ_COMMITTED,
        });
        const list = offsets.get(this.settings.topic) ?? [];
        return new Map(partitions.map((partition) => [partition, list[partition] ?? 0n]));
    }
    async commit(offsets) {
        const member = this.member;
        if (!member)
            throw new Error('not a member of the group right now (rebalancing)');
        const connection = await this.coordinatorConnection();
        await offsetCommitV8.api.async(connection, this.settings.groupId, member.generationId, member.memberId, null, [this.offsetsTopic(offsets)]);
    }
    /** TxnOffsetCommit: the offsets join the producer's open transaction, fenced by the group generation. */
    async commitInTransaction(producer, offsets) {
        const member = this.member;
        if (!member)
            throw new Error('not a member of the group right now (rebalancing)');
        const connection = await this.coordinatorConnection();
        await txnOffsetCommitV3.api.async(connection, producer.transactionalId, this.settings.groupId, producer.producerId, producer.producerEpoch, member.generationId, member.memberId, null, [this.offsetsTopic(offsets)]);
    }
    async close() {
        try {
            // The promise overload, typed after the callback one.
            await this.consumer.leaveGroup.call(this.consumer, false);
        }
        catch (error) {
            this.logger.debug({ err: error }, 'leaving the group failed');
        }
        finally {
            await this.consumer.close(true).catch(() => undefined);
            await this.groupPool.close().catch(() => undefined);
        }
    }
    coordinator;
    async coordinatorConnection() {
        this.coordinator ??= await this.consumer.findGroupCoordinator();
        const metadata = await this.consumer.metadata({ topics: [this.settings.topic] });
        const broker = metadata.brokers.get(this.coordinator);
        if (!broker) {
            this.coordinator = undefined;
            throw new Error('the group coordinator is not among the brokers');
        }
        return this.groupPool.get(broker);
    }
    offsetsTopic(offsets) {
        return {
            name: this.settings.topic,
            partitions: offsets.map(({ partition, offset, metadata }) => ({
                partitionIndex: partition,
                committedOffset: offset,
                committedLeaderEpoch: -1,
                committedMetadata: metadata,
            })),
        };
    }
}
const FETCH_PARTITION_MAX_BYTES = 4 * 1024 * 1024;
/** Each fetched partition's batches as the broker sent them, before the client's read_committed filter. */
const allBatches = Symbol('bin-packer.allBatches');
/**
 * Makes the consumer's fetches keep every batch for committedBatches(): the client's own
 * read_committed filter has already dropped some aborted batches by the time fetch() answers,
 * and they could not be counted.
 */
export function keepAllBatches(consumer) {
    replaceApi(consumer, 'Fetch', (api) => {
        const wrapped = (connection, ...args) => {
            const callback = args.pop();
            api(connection, ...args, (error, response) => {
                const answered = response ?? error?.response;
                for (const topic of answered?.responses ?? [])
                    for (const partition of topic.partitions)
                        if (partition.records)
                            partition[allBatches] = partition.records;
                callback(error, response);
            });
        };
        return Object.assign(wrapped, { version: api.version, key: api.key, async: api.async });
    });
    return consumer;
}
/**
 * One fetch of the given partitions from their leaders, at the given offsets. read_committed
 * drops aborted transactions' records (counted in `abortedRecords`); control markers are never
 * records.
 */
export async function fetchPartitions(consumer, topic, positions, maxWaitMs, isolation) {
    const metadata = await consumer.metadata({ topics: [topic] });
    const topicMetadata = metadata.topics.get(topic);
    if (!topicMetadata)
        throw new Error(`topic "${topic}" has no metadata`);
    const byLeader = new Map();
    for (const partition of positions.keys()) {
        const leader = topicMetadata.partitions[partition]?.leader ?? -1;
        const share = byLeader.get(leader);
        if (share)
            share.push(partition);
        else
            byLeader.set(leader, [partition]);
    }
    const isolationLevel = isolation === 'read_committed' ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED;
    const answers = await Promise.all([...byLeader].map(([node, partitions]) => consumer.fetch({
        node,
        maxWaitTime: maxWaitMs,
        isolationLevel,
        topics: [
            {
                topicId: topicMetadata.id,
                partitions: partitions.map((partition) => ({
                    partition,
                    fetchOffset: positions.get(partition),
                    partitionMaxBytes: FETCH_PARTITION_MAX_BYTES,
                    currentLeaderEpoch: -1,
                    lastFetchedEpoch: -1,
                })),
            },
        ],
    })));
    const partitions = [];
    let abortedRecords = 0;
    for (const answer of answers) {
        for (const response of answer.responses) {
            for (const partition of response.partitions) {
                const from = positions.get(partition.partitionIndex);
                // A fetch session may answer for partitions not asked this time: not ours to read.
                if (from === undefined)
                    continue;
                const aborted = isolation === 'read_committed' ? partition.abortedTransactions : null;
                const batches = partition[allBatches] ?? partition.records ?? [];
                const read = readPartition(partition.partitionIndex, from, batches, aborted, partition.highWatermark);
                partitions.push(read.fetched);
                abortedRecords += read.abortedRecords;
            }
        }
    }
    return { partitions, abortedRecords };
}
function readPartition(partition, from, batches, aborted, highWatermark) {
    let nextOffset = from;
    for (const batch of batches) {
        const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
        if (end > nextOffset)
            nextOffset = end;
    }
    const records = [];
    const committed = committedBatches(batches, aborted);
    for (const batch of committed.batches) {
        for (const record of batch.records) {
            const offset = batch.firstOffset + BigInt(record.offsetDelta);
            if (offset >= from)
                records.push({ offset, key: record.key, value: record.value, headers: record.headers });
        }
    }
    return { fetched: { partition, records, nextOffset, highWatermark }, abortedRecords: committed.abortedRecords };
}
function retriableGroupError(error) {
    return ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS'].some((code) => findErrorBy(error, 'apiId', code));
}
function delay(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
}
/**
 * A transaction of @platformatic/kafka's producer whose offsets go in through the group
 * member's TxnOffsetCommit, all partitions in one request and with their metadata (the
 * client's addOffset sends one partition per call, without metadata). Partitions join the
 * transaction one AddPartitionsToTxn at a time, before the sends that need them: the client
 * merges concurrent calls into the first one, so the partitions of the others were never
 * added, and the broker refused their records with TRANSACTION_ABORTABLE.
 */
export class PlatformaticTransaction {
    producer;
    transaction;
    sendRecords;
    groupAdded = false;
    added = new Set();
    adding = Promise.resolve();
    constructor(producer, transaction, sendRecords) {
        this.producer = producer;
        this.transaction = transaction;
        this.sendRecords = sendRecords;
    }
    async send(topic, records) {
        await this.addPartitions(topic, records);
        await this.sendRecords(this.transaction.send.bind(this.transaction), topic, records);
    }
    addPartitions(topic, records) {
        const wanted = new Set();
        for (const record of records)
            if (!this.added.has(`${topic}:${record.partition}`))
                wanted.add(record.partition);
        if (wanted.size === 0)
            return this.adding;
        const run = this.adding.then(async () => {
            const missing = [...wanted].filter((partition) => !this.added.has(`${topic}:${partition}`));
            if (missing.length === 0)
                return;
            const metadata = await this.producer.metadata({ topics: [topic] });
            await this.transaction.addPartitions(metadata, missing.map((partition) => ({ topic, partition, value: Buffer.alloc(0) })));
            for (const partition of missing)
                this.added.add(`${topic}:${partition}`);
        });
        this.adding = run.catch(() => undefined);
        return run;
    }
    async commitOffsets(group, offsets) {
        if (!(group instanceof PlatformaticGroupConsumer))
            throw new TypeError('a transaction commits offsets of a group consumer of the same client');
        if (offsets.length === 0)
            return;
        if (!this.groupAdded) {
            await this.transaction.addConsumer(group.consumer);
            this.groupAdded = true;
        }
        await group.commitInTransaction({ transactionalId: this.transaction.id, producerId: this.producer.producerId, producerEpoch: this.producer.producerEpoch }, offsets);
    }
    commit() {
        return this.transaction.commit();
    }
    abort() {
        return this.transaction.abort();
    }
}
//# sourceMappingURL=platformatic-group.js.map