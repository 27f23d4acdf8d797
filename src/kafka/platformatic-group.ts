// Streaming mode's side of the @platformatic/kafka adapter: a consumer group member that reads
// by offsets the caller keeps, and transactions that commit the group's offsets with the
// output. The client's MessagesStream and its offset helpers are not used, for reasons
// measured against 2.12.1 (issue 13): the stream goes on delivering records buffered before a
// rebalance, its committed-offset lookup does not ask for stable offsets, concurrent
// Transaction.addOffset calls keep one partition's offset, and its read_committed filter lets
// aborted records through. Membership, heartbeats, rejoins, metadata and fetch sessions stay
// the client's. Group requests (offsets, commits) go over a pool of their own, so that a
// long-polling fetch never delays them.
import {
  ConnectionPool,
  Consumer,
  FetchIsolationLevels,
  findErrorBy,
  offsetCommitV8,
  offsetFetchV8,
  roundRobinAssigner,
  txnOffsetCommitV3,
  type Connection,
  type Producer,
} from '@platformatic/kafka';

/** The client's Transaction class is not exported by name. */
type Transaction<K, V, HK, HV> = Awaited<ReturnType<Producer<K, V, HK, HV>['beginTransaction']>>;
import type { Logger } from '../logger.js';
import { committedBatches } from './aborted-transactions.js';
import { allBatchesOf, readBatchesFast, type FetchedPartitionResponse } from './platformatic-fetch.js';
import type { ReadBatch } from './record-batch-reader.js';
import type {
  CommittedOffset,
  EncodedRecordBatch,
  FetchedPartition,
  FetchedRecord,
  GroupAssignment,
  GroupConsumerPort,
  GroupConsumerSettings,
  Isolation,
  OffsetToCommit,
  OutgoingRecord,
  TransactionPort,
} from './port.js';
import type { BaseOptions } from './platformatic-options.js';
import { toSendError, topicUnknown } from './platformatic-errors.js';
import { TopicMissingError } from './topic.js';

type BufferConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;

/** How long a stable offset lookup waits out a transaction that holds it (beyond this the job fails). */
const UNSTABLE_OFFSET_WAIT_MS = 15 * 60_000;

export class PlatformaticGroupConsumer implements GroupConsumerPort {
  readonly consumer: BufferConsumer;
  /** For group requests (offsets, commits), apart from the fetches' connections. */
  private readonly groupPool: ConnectionPool;
  private current: GroupAssignment | undefined;
  private readonly listeners: ((assignment: GroupAssignment) => void)[] = [];
  private readonly growthListeners: ((partitions: number) => Promise<void>)[] = [];
  private heartbeatAt: number | undefined;
  /** The partition count the last assignment was made from, when this member made it: more later means partitions were added. */
  private partitionsAtJoin: number | undefined;
  /** The partition count the assigner saw, while this member assigns (as the group's leader). */
  private partitionsAssigned: number | undefined;
  /** The rejoin after partitions were added, while it runs. */
  private growth: Promise<void> | undefined;
  /** This member assigned the partitions at its last join. */
  private leader = false;

  constructor(
    base: BaseOptions,
    private readonly settings: GroupConsumerSettings,
    private readonly logger: Logger,
  ) {
    this.consumer = readBatchesFast(new Consumer({
      ...base,
      groupId: settings.groupId,
      autocommit: false,
      sessionTimeout: settings.sessionTimeoutMs,
      heartbeatInterval: settings.heartbeatIntervalMs,
      rebalanceTimeout: settings.rebalanceTimeoutMs,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
      // The client's own (round robin) assignment, noting the partition count it was made from.
      partitionAssigner: (current, members, topics, metadata) => {
        this.partitionsAssigned = metadata.topics.get(settings.topic)?.partitionsCount;
        return roundRobinAssigner(current, members, topics, metadata);
      },
    }));
    this.groupPool = new ConnectionPool(`${base.clientId}-group`, base);
    this.consumer.on('consumer:group:join', ({ generationId, assignments, isLeader }) => {
      this.leader = isLeader === true;
      const owned = assignments?.find((a) => a.topic === settings.topic)?.partitions ?? [];
      this.current = { generation: generationId ?? -1, partitions: [...owned].sort((a, b) => a - b) };
      this.heartbeatAt = Date.now();
      // A lone member is given every partition without the assigner.
      this.partitionsAtJoin = this.leader ? (this.partitionsAssigned ?? owned.length) : undefined;
      this.partitionsAssigned = undefined;
      for (const listener of this.listeners) listener(this.current);
    });
    this.consumer.on('consumer:heartbeat:end', () => (this.heartbeatAt = Date.now()));
    this.consumer.on('consumer:heartbeat:error', ({ error }) => {
      // A rebalance starts with a heartbeat refused: the assignment stands until the rejoin completes.
      if (findErrorBy(error, 'apiId', 'REBALANCE_IN_PROGRESS')) this.current = undefined;
    });
  }

  get assignment(): GroupAssignment | undefined {
    return this.current;
  }

  get lastHeartbeatAt(): number | undefined {
    return this.heartbeatAt;
  }

  /** The member's identity in its generation, for commits (undefined while rejoining). */
  get member(): { generationId: number; memberId: string } | undefined {
    const memberId = this.consumer.memberId;
    return this.current && memberId ? { generationId: this.current.generation, memberId } : undefined;
  }

  onAssignment(listener: (assignment: GroupAssignment) => void): void {
    this.listeners.push(listener);
  }

  async join(): Promise<GroupAssignment> {
    this.consumer.topics.track(this.settings.topic);
    await this.consumer.joinGroup({});
    if (!this.current) throw new Error(`joined group "${this.settings.groupId}" without an assignment`);
    return this.current;
  }

  onPartitionsAdded(listener: (partitions: number) => Promise<void>): void {
    this.growthListeners.push(listener);
  }

  async fetch(positions: ReadonlyMap<number, bigint>, maxWaitMs: number): Promise<FetchedPartition[]> {
    if (positions.size === 0) {
      // A member without partitions may be the group's leader: it watches the partition count too.
      const metadata = await this.consumer.metadata({ topics: [this.settings.topic] });
      this.notePartitionCount(metadata.topics.get(this.settings.topic)?.partitionsCount);
      await delay(Math.min(maxWaitMs, 100));
      return [];
    }
    const fetched = await fetchPartitions(this.consumer, this.settings.topic, positions, maxWaitMs, 'read_committed');
    this.notePartitionCount(fetched.partitionCount);
    return fetched.partitions;
  }

  /**
   * The client rejoins only when the coordinator asks, and the coordinator does not watch
   * partition counts: as Java's consumer does, the group's leader rejoins when the topic gains
   * partitions (a leader's rejoin rebalances the group), with fresh metadata, so that the
   * assignment counts them. The metadata the fetches read is at most metadataMaxAge (5 s) old.
   */
  private notePartitionCount(partitions: number | undefined): void {
    const known = this.partitionsAtJoin;
    if (!this.leader || this.growth || partitions === undefined || known === undefined || partitions <= known) return;
    this.logger.info({ topic: this.settings.topic, partitions, was: known }, 'partitions were added to the input topic: rejoining the group so that they are assigned');
    this.growth = (async () => {
      for (const listener of this.growthListeners) await listener(partitions);
      await this.consumer.metadata({ topics: [this.settings.topic], forceUpdate: true });
      await this.consumer.joinGroup({});
    })()
      .catch((error: unknown) => this.logger.warn({ err: error }, 'rejoining the group after partitions were added failed; trying again at the next fetch'))
      .finally(() => (this.growth = undefined));
  }

  async committed(partitions: readonly number[]): Promise<Map<number, CommittedOffset>> {
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        const connection = await this.coordinatorConnection();
        const response = await offsetFetchV8.api.async(
          connection,
          [{ groupId: this.settings.groupId, memberId: null, memberEpoch: -1, topics: [{ name: this.settings.topic, partitionIndexes: [...partitions] }] }],
          true,
        );
        const committed = new Map<number, CommittedOffset>();
        for (const group of response.groups) {
          for (const topic of group.topics) {
            for (const p of topic.partitions) committed.set(p.partitionIndex, { offset: p.committedOffset, metadata: p.metadata ?? null });
          }
        }
        return committed;
      } catch (error) {
        // An open transaction holds offsets of these partitions: wait until it commits or aborts.
        if (findErrorBy(error as Error, 'apiId', 'UNSTABLE_OFFSET_COMMIT') && Date.now() - started < UNSTABLE_OFFSET_WAIT_MS) {
          if (attempt % 50 === 0) this.logger.info({ partitions }, 'waiting for an open transaction of this group to end before reading its offsets');
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

  async startOffsets(partitions: readonly number[], from: 'earliest' | 'latest'): Promise<Map<number, bigint>> {
    const offsets = await this.consumer.listOffsets({
      topics: [this.settings.topic],
      partitions: { [this.settings.topic]: [...partitions] },
      timestamp: from === 'earliest' ? -2n : -1n,
      isolationLevel: FetchIsolationLevels.READ_COMMITTED,
    });
    const list = offsets.get(this.settings.topic) ?? [];
    return new Map(partitions.map((partition) => [partition, list[partition] ?? 0n]));
  }

  async commit(offsets: readonly OffsetToCommit[]): Promise<void> {
    const member = this.member;
    if (!member) throw new Error('not a member of the group right now (rebalancing)');
    const connection = await this.coordinatorConnection();
    await offsetCommitV8.api.async(connection, this.settings.groupId, member.generationId, member.memberId, null, [this.offsetsTopic(offsets)]);
  }

  /** TxnOffsetCommit: the offsets join the producer's open transaction, fenced by the group generation. */
  async commitInTransaction(producer: { transactionalId: string; producerId: bigint; producerEpoch: number }, offsets: readonly OffsetToCommit[]): Promise<void> {
    const member = this.member;
    if (!member) throw new Error('not a member of the group right now (rebalancing)');
    const connection = await this.coordinatorConnection();
    await txnOffsetCommitV3.api.async(
      connection,
      producer.transactionalId,
      this.settings.groupId,
      producer.producerId,
      producer.producerEpoch,
      member.generationId,
      member.memberId,
      null,
      [this.offsetsTopic(offsets)],
    );
  }

  async close(): Promise<void> {
    try {
      // The promise overload, typed after the callback one.
      await (this.consumer.leaveGroup as (force: boolean) => Promise<void>).call(this.consumer, false);
    } catch (error) {
      this.logger.debug({ err: error }, 'leaving the group failed');
    } finally {
      await this.consumer.close(true).catch(() => undefined);
      await this.groupPool.close().catch(() => undefined);
    }
  }

  private coordinator: number | undefined;

  private async coordinatorConnection(): Promise<Connection> {
    this.coordinator ??= await this.consumer.findGroupCoordinator();
    const metadata = await this.consumer.metadata({ topics: [this.settings.topic] });
    const broker = metadata.brokers.get(this.coordinator);
    if (!broker) {
      this.coordinator = undefined;
      throw new Error('the group coordinator is not among the brokers');
    }
    return this.groupPool.get(broker);
  }

  private offsetsTopic(offsets: readonly OffsetToCommit[]) {
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

/**
 * Per partition per fetch: Java's max.partition.fetch.bytes. A fetch's records all wait in the
 * heap until the micro-batch has taken them; 4 MiB (six partitions: ~50k records) kept more of
 * them alive through young collections, for ~40 MiB more peak RSS and no speed (bench/README.md).
 */
const FETCH_PARTITION_MAX_BYTES = 1024 * 1024;

interface FetchedPartitions {
  partitions: FetchedPartition[];
  abortedRecords: number;
  /** The topic's partition count in the metadata the fetch went by. */
  partitionCount: number;
}

/**
 * One fetch of the given partitions from their leaders, at the given offsets. read_committed
 * drops aborted transactions' records (counted in `abortedRecords`); control markers are never
 * records.
 */
export async function fetchPartitions(
  consumer: BufferConsumer,
  topic: string,
  positions: ReadonlyMap<number, bigint>,
  maxWaitMs: number,
  isolation: Isolation,
): Promise<FetchedPartitions> {
  try {
    return await fetchFromLeaders(consumer, topic, positions, maxWaitMs, isolation);
  } catch (error) {
    if (topicUnknown(error)) throw new TopicMissingError(`topic "${topic}" no longer exists on the brokers (deleted while it was read?)`, { cause: error });
    throw error;
  }
}

async function fetchFromLeaders(
  consumer: BufferConsumer,
  topic: string,
  positions: ReadonlyMap<number, bigint>,
  maxWaitMs: number,
  isolation: Isolation,
): Promise<FetchedPartitions> {
  const metadata = await consumer.metadata({ topics: [topic] });
  const topicMetadata = metadata.topics.get(topic);
  if (!topicMetadata) throw new Error(`topic "${topic}" has no metadata`);
  const byLeader = new Map<number, number[]>();
  for (const partition of positions.keys()) {
    const leader = topicMetadata.partitions[partition]?.leader ?? -1;
    const share = byLeader.get(leader);
    if (share) share.push(partition);
    else byLeader.set(leader, [partition]);
  }
  const isolationLevel = isolation === 'read_committed' ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED;
  const answers = await Promise.all(
    [...byLeader].map(([node, partitions]) =>
      consumer
        .fetch({
        node,
        maxWaitTime: maxWaitMs,
        isolationLevel,
        topics: [
          {
            topicId: topicMetadata.id,
            partitions: partitions.map((partition) => ({
              partition,
              fetchOffset: positions.get(partition)!,
              partitionMaxBytes: FETCH_PARTITION_MAX_BYTES,
              currentLeaderEpoch: -1,
              lastFetchedEpoch: -1,
            })),
          },
        ],
      })
        .catch(answerOutOfRange),
    ),
  );
  const partitions: FetchedPartition[] = [];
  let abortedRecords = 0;
  for (const answer of answers) {
    for (const response of answer.responses) {
      for (const partition of response.partitions) {
        const from = positions.get(partition.partitionIndex);
        // A fetch session may answer for partitions not asked this time: not ours to read.
        if (from === undefined) continue;
        if (partition.errorCode === OFFSET_OUT_OF_RANGE) {
          partitions.push({ partition: partition.partitionIndex, records: [], nextOffset: from, highWatermark: partition.highWatermark, outOfRange: true });
          continue;
        }
        const aborted = isolation === 'read_committed' ? partition.abortedTransactions : null;
        const read = readPartition(partition.partitionIndex, from, allBatchesOf(partition as unknown as FetchedPartitionResponse), aborted, partition.highWatermark);
        partitions.push(read.fetched);
        abortedRecords += read.abortedRecords;
      }
    }
  }
  return { partitions, abortedRecords, partitionCount: topicMetadata.partitionsCount };
}

/** Kafka's OFFSET_OUT_OF_RANGE error code. */
const OFFSET_OUT_OF_RANGE = 1;

/**
 * A fetch refused only because some positions lie outside their partition's log: its answer
 * still holds the other partitions' records, and says which partitions were out of range.
 */
function answerOutOfRange(error: unknown): Awaited<ReturnType<BufferConsumer['fetch']>> {
  const { errors, response } = error as { errors?: unknown[]; response?: Awaited<ReturnType<BufferConsumer['fetch']>> };
  const outOfRange = (e: unknown) => (e as { apiId?: unknown }).apiId === 'OFFSET_OUT_OF_RANGE';
  if (response && Array.isArray(errors) && errors.length > 0 && errors.every(outOfRange)) return response;
  throw error;
}

function readPartition(
  partition: number,
  from: bigint,
  batches: ReadBatch[],
  aborted: Parameters<typeof committedBatches>[1],
  highWatermark: bigint,
): { fetched: FetchedPartition; abortedRecords: number } {
  let nextOffset = from;
  for (const batch of batches) {
    const end = batch.firstOffset + BigInt(batch.lastOffsetDelta) + 1n;
    if (end > nextOffset) nextOffset = end;
  }
  const records: FetchedRecord[] = [];
  const committed = committedBatches(batches, aborted);
  for (const batch of committed.batches) {
    // A fetch starts at the batch holding `from`: its records before it were read already.
    if (batch.firstOffset >= from) for (const record of batch.records) records.push(record);
    else for (const record of batch.records) if (record.offset >= from) records.push(record);
  }
  return { fetched: { partition, records, nextOffset, highWatermark }, abortedRecords: committed.abortedRecords };
}

function retriableGroupError(error: unknown): boolean {
  return ['NOT_COORDINATOR', 'COORDINATOR_NOT_AVAILABLE', 'COORDINATOR_LOAD_IN_PROGRESS'].some((code) => findErrorBy(error as Error, 'apiId', code));
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

type TransactionSend = Transaction<Buffer, Buffer, Buffer, Buffer>['send'];

/** How a transaction's records and batches become the client's messages (the adapter's MessageBuilder). */
export interface TransactionMessages {
  send(send: TransactionSend, topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  sendEncoded(send: TransactionSend, topic: string, batches: readonly EncodedRecordBatch[]): Promise<void>;
}

/**
 * A transaction of @platformatic/kafka's producer whose offsets go in through the group
 * member's TxnOffsetCommit, all partitions in one request and with their metadata (the
 * client's addOffset sends one partition per call, without metadata). Partitions join the
 * transaction one AddPartitionsToTxn at a time, before the sends that need them: the client
 * merges concurrent calls into the first one, so the partitions of the others were never
 * added, and the broker refused their records with TRANSACTION_ABORTABLE.
 */
export class PlatformaticTransaction implements TransactionPort {
  private groupAdded = false;
  private readonly added = new Set<string>();
  private adding: Promise<void> = Promise.resolve();

  constructor(
    private readonly producer: Producer<Buffer, Buffer, Buffer, Buffer>,
    private readonly transaction: Transaction<Buffer, Buffer, Buffer, Buffer>,
    private readonly messages: TransactionMessages,
  ) {}

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    await this.addPartitionsOf(topic, records);
    await this.messages.send(this.transaction.send.bind(this.transaction), topic, records);
  }

  async sendEncoded(topic: string, batches: readonly EncodedRecordBatch[]): Promise<void> {
    await this.addPartitionsOf(topic, batches);
    await this.messages.sendEncoded(this.transaction.send.bind(this.transaction), topic, batches);
  }

  private async addPartitionsOf(topic: string, sent: readonly { partition: number }[]): Promise<void> {
    try {
      await this.addPartitions(topic, sent);
    } catch (error) {
      throw toSendError(error, topic);
    }
  }

  private addPartitions(topic: string, sent: readonly { partition: number }[]): Promise<void> {
    const wanted = new Set<number>();
    for (const { partition } of sent) if (!this.added.has(`${topic}:${partition}`)) wanted.add(partition);
    if (wanted.size === 0) return this.adding;
    const run = this.adding.then(async () => {
      const missing = [...wanted].filter((partition) => !this.added.has(`${topic}:${partition}`));
      if (missing.length === 0) return;
      const metadata = await this.producer.metadata({ topics: [topic] });
      await this.transaction.addPartitions(
        metadata,
        missing.map((partition) => ({ topic, partition, value: Buffer.alloc(0) })),
      );
      for (const partition of missing) this.added.add(`${topic}:${partition}`);
    });
    this.adding = run.catch(() => undefined);
    return run;
  }

  async commitOffsets(group: GroupConsumerPort, offsets: readonly OffsetToCommit[]): Promise<void> {
    if (!(group instanceof PlatformaticGroupConsumer)) throw new TypeError('a transaction commits offsets of a group consumer of the same client');
    if (offsets.length === 0) return;
    if (!this.groupAdded) {
      await this.transaction.addConsumer(group.consumer);
      this.groupAdded = true;
    }
    await group.commitInTransaction(
      { transactionalId: this.transaction.id, producerId: this.producer.producerId!, producerEpoch: this.producer.producerEpoch! },
      offsets,
    );
  }

  commit(): Promise<void> {
    return this.transaction.commit();
  }

  abort(): Promise<void> {
    return this.transaction.abort();
  }
}
