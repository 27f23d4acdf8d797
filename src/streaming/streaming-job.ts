import { randomUUID } from 'node:crypto';
import {
  recordsRefusedCause,
  topicMissingCause,
  transactionRefusedCause,
  type Compression,
  type GroupAssignment,
  type GroupConsumerPort,
  type KafkaClient,
  type OffsetToCommit,
  type EncodedRecordBatch,
  type OutgoingRecord,
  type ProducerPort,
  type TransactionalProducerPort,
} from '../kafka/port.js';
import { TopicMissingError } from '../kafka/topic.js';
import { UserFacingError } from '../user-facing-error.js';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { Logger } from '../logger.js';
import { KafkaSink, type KafkaSinkOptions } from '../sinks/kafka-sink.js';
import type { BinnerOptions } from '../stages/bin/binner.js';
import type { LatePolicy } from '../stages/late/mark-late-events.js';
import type { ExternalSortOptions } from '../stages/sort/external-sorter.js';
import { MicroBatch, type MicroBatchSummary } from './micro-batch.js';
import { TransactionScope } from './transaction-scope.js';
import type { Guarantee } from './guarantee.js';
import { VisitWatermarks, type VisitMark, type VisitWatermarksOptions } from '../stages/late/visit-watermarks.js';
import { LateStateLog, lateStateRecords } from './late-state-log.js';
import { splitIntoParts } from '../kafka/record-parts.js';

export interface StreamingJobOptions {
  /** The client behind the port (@platformatic/kafka): the consumer group, and transactions. */
  client: KafkaClient;
  /** A producer for the output topic in at-least-once runs (and the dead-letter topic). The job does not close it. */
  producer: ProducerPort;
  /**
   * `exactly-once` (default): each micro-batch's output, its dead-letter-topic records and its
   * input offsets commit in one transaction, fenced by the group generation; read_committed
   * consumers see every event once. `at-least-once`: offsets are committed after delivery,
   * and a crash delivers the micro-batch again.
   */
  guarantee?: Guarantee;
  /** exactly-once: the broker aborts a transaction open longer (default: 3 trigger intervals, at least 60 s, at most 15 min). */
  transactionTimeoutMs?: number;
  /** exactly-once: the output's compression (the at-least-once producer has its own). */
  compression?: Compression;
  inputTopic: string;
  outputTopic: string;
  groupId: string;
  /** A micro-batch closes this long after its first record (default 20 s)... */
  triggerIntervalMs?: number;
  /** ...or once it holds this many records, whichever comes first (default: no count limit). */
  triggerEvents?: number;
  /** Where a group without committed offsets starts (default earliest). */
  startFrom?: 'earliest' | 'latest';
  /** Consumer group session timeout (default 30 s); a dead instance's partitions move after it. */
  sessionTimeoutMs?: number;
  deadLetters: DeadLetterSink;
  /**
   * The late-event policy and state bounds. `changelogTopic`: keep the state in this compacted
   * topic (created when missing, partitioned like the input), so that it survives restarts and
   * rebalances; without it the state lives in this process only.
   */
  late?: { policy?: LatePolicy; changelogTopic?: string } & VisitWatermarksOptions;
  sink: Omit<KafkaSinkOptions, 'producer' | 'topic' | 'logger'>;
  dedupe?: boolean;
  maxRowBytes?: number;
  sort?: ExternalSortOptions;
  bin?: Omit<BinnerOptions, 'firstBatch'>;
  logger: Logger;
  /** Told of each micro-batch committed (or not), `seconds` after its first record (metrics). */
  onMicroBatch?: (seconds: number) => void;
  /** Told when a micro-batch reaches each moment of its delivery, and awaited (tests pause the process here). */
  onMoment?: (moment: DeliveryMoment, microBatch: number) => void | Promise<void>;
}

/** `sort`: its input is closed and being sorted; `delivery`: its first send went out; `commit`: delivered, offsets not yet committed. */
export type DeliveryMoment = 'sort' | 'delivery' | 'commit';

/** Where the job stands, for metrics and health probes. */
export interface StreamingStatus {
  /** True while the consumer is a live member of its group: joined, and heartbeating within the session timeout. */
  inGroup: boolean;
  /** Per owned partition this instance has delivered from: records past its delivered offset, up to the high watermark of the last fetch. */
  lag: Map<number, number>;
  /** When offsets were last committed (ms since the epoch). */
  lastCommitAt: number | undefined;
  /** When the oldest micro-batch not yet committed (open, or being delivered) got its first record. */
  openSince: number | undefined;
}

/** The micro-batch counts that add up over a job. */
const SUMMED = ['read', 'delivered', 'deadLettered', 'deduplicated', 'handedOver', 'late', 'batches'] as const;

/** Sums of the micro-batches' counts (see MicroBatchSummary). */
export interface StreamingTotals extends Pick<MicroBatchSummary, (typeof SUMMED)[number]> {
  microBatches: number;
  /** Micro-batches whose offsets could not be committed (at-least-once: their records may be delivered again). */
  uncommitted: number;
  /** Micro-batches whose transaction was aborted (exactly-once: their records are read and delivered again). */
  aborted: number;
}

export interface StreamingJob {
  readonly totals: StreamingTotals;
  status(): StreamingStatus;
  /** Closes the current micro-batch now, delivers and commits it, and leaves the group. */
  stop(): Promise<StreamingTotals>;
  /** Settles when the job stops: resolved after stop(), rejected when it fails. */
  readonly done: Promise<StreamingTotals>;
}

/** Committed with each offset: the highest delivery batch number used so far. */
interface CommitMetadata {
  lastDeliveryBatch: number;
}

/** The longest transaction timeout a broker allows by default (transaction.max.timeout.ms). */
const MAX_TRANSACTION_TIMEOUT_MS = 15 * 60_000;

/** What adding partitions to the input costs the late-event state, logged when the changelog follows. */
const lateStateGrown = (topic: string, from: number) => ({
  topic,
  from,
  note: 'the input topic gained partitions, so did the late-state topic; a visit whose input partition changed with the new count starts without its late-event state',
});

/** Exactly-once: the job fails after this many aborted micro-batches without a commit between them. */
const MAX_ABORTS_IN_A_ROW = 5;

export function defaultTransactionTimeoutMs(triggerIntervalMs: number): number {
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
export async function startStreamingJob(options: StreamingJobOptions): Promise<StreamingJob> {
  const { client, logger, inputTopic, groupId } = options;
  const triggerIntervalMs = options.triggerIntervalMs ?? 20_000;
  const triggerEvents = options.triggerEvents ?? Number.POSITIVE_INFINITY;
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  const heartbeatInterval = Math.max(500, Math.min(3000, Math.floor(sessionTimeout / 5)));
  const exactlyOnce = (options.guarantee ?? 'exactly-once') === 'exactly-once';
  const watermarks = new VisitWatermarks(options.late ?? {});
  // Opened (created, for a new group) while the group is joined: nothing reads it before then.
  const openingLateLog = options.late?.changelogTopic ? LateStateLog.open(client, options.late.changelogTopic, inputTopic) : undefined;
  openingLateLog?.catch(() => undefined); // surfaced after the join
  /** Visits the TTL forgot: their tombstones go out with the next micro-batch. */
  let expired: VisitMark[] = [];
  const latePolicy = options.late?.policy ?? 'deliver';
  const totals: StreamingTotals = {
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

  const group: GroupConsumerPort = client.groupConsumer({
    groupId,
    topic: inputTopic,
    sessionTimeoutMs: sessionTimeout,
    heartbeatIntervalMs: heartbeatInterval,
    rebalanceTimeoutMs: Math.max(sessionTimeout, 60_000),
  });
  let transactional: TransactionalProducerPort | undefined;
  const transactionTimeoutMs = options.transactionTimeoutMs ?? defaultTransactionTimeoutMs(triggerIntervalMs);
  const openTransactional = async () =>
    (transactional ??= await client.transactionalProducer({
      transactionalId: `bin-packer-${groupId}-${randomUUID()}`,
      transactionTimeoutMs,
      compression: options.compression ?? 'none',
    }));

  let epoch = 0;
  /** Partitions owned now, and the epoch since which each has been owned without a break. */
  const ownedSince = new Map<number, number>();
  /** Where the next fetch of each owned partition starts; missing until read from the group's commits. */
  const positions = new Map<number, bigint>();
  /** Per owned partition: the last offset this instance delivered (and committed, or tried to). */
  const deliveredThrough = new Map<number, bigint>();
  const highWatermarks = new Map<number, bigint>();
  let nextBatch = 1;
  let current: MicroBatch | undefined;
  /** The micro-batch being delivered and committed, if any. */
  let flushing: MicroBatch | undefined;
  /** At least once: the last micro-batch's late-event marks and commit, while the next one is read. */
  let committing: Promise<void> | undefined;
  let commitFailure: Error | undefined;
  let microBatchNumber = 0;
  let stopping = false;
  let lastCommitAt: number | undefined;
  let failure: Error | undefined;
  let assigned: (() => void) | undefined;
  let abortsInARow = 0;

  let generation: number | undefined;
  group.onAssignment((assignment: GroupAssignment) => {
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
    for (const partition of owned) if (!ownedSince.has(partition)) ownedSince.set(partition, epoch);
    logger.info({ group: groupId, partitions: assignment.partitions, generation: assignment.generation, epoch }, 'partitions assigned');
    assigned?.();
  });

  const stillOwned = (partition: number, readInEpoch: number) => {
    const since = ownedSince.get(partition);
    return since !== undefined && since <= readInEpoch;
  };

  /** Reads the group's commits (stable) for owned partitions without a position: where to start, and the batch numbers used. */
  async function startPositions(): Promise<void> {
    const missing = [...ownedSince.keys()].filter((partition) => !positions.has(partition));
    if (missing.length === 0) return;
    const readIn = epoch;
    const committed = await group.committed(missing);
    const fallback = await group.startOffsets(missing, options.startFrom ?? 'earliest');
    if (readIn !== epoch) return; // reassigned meanwhile: read again for the new assignment
    if (lateLog) {
      const visits = await lateLog.restore(missing, watermarks);
      logger.info({ partitions: missing, visits, topic: lateLog.topic }, 'late-event state restored');
    }
    for (const partition of missing) {
      const commit = committed.get(partition);
      const offset = commit && commit.offset >= 0n ? commit.offset : fallback.get(partition)!;
      positions.set(partition, offset);
      deliveredThrough.set(partition, offset - 1n);
      nextBatch = Math.max(nextBatch, batchFloorOf(commit?.metadata ?? null));
    }
  }

  function batchFloorOf(metadata: string | null): number {
    if (!metadata) return 1;
    try {
      return ((JSON.parse(metadata) as CommitMetadata).lastDeliveryBatch ?? 0) + 1;
    } catch {
      return 1; // another tool's metadata: not ours to read
    }
  }

  /** Exactly-once: each micro-batch's sink sends through the transaction set at delivery. */
  const transactionOf = new WeakMap<MicroBatch, DeferredProducer>();

  function openMicroBatch(): MicroBatch {
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
    if (deferred) transactionOf.set(batch, deferred);
    return batch;
  }

  /** Waits (up to the session timeout) for a rebalance in progress to end. */
  async function settledAssignment(): Promise<void> {
    if (group.assignment) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, sessionTimeout);
      assigned = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    assigned = undefined;
  }

  async function flush(): Promise<void> {
    await committing;
    const batch = current;
    current = undefined;
    if (!batch) return;
    flushing = batch;
    try {
      await (exactlyOnce ? deliverInTransaction(batch) : deliverAndCommit(batch));
    } finally {
      if (flushing === batch && !committing) flushing = undefined;
    }
  }

  function offsetsOf(batch: MicroBatch): { commits: OffsetToCommit[]; handedOver: number[] } {
    const metadata = JSON.stringify({ lastDeliveryBatch: nextBatch - 1 } satisfies CommitMetadata);
    const commits: OffsetToCommit[] = [];
    const handedOver: number[] = [];
    for (const [partition, { next, epoch: readIn }] of batch.nextOffsets) {
      if (stillOwned(partition, readIn)) commits.push({ partition, offset: next, metadata });
      else handedOver.push(partition);
    }
    return { commits, handedOver };
  }

  /**
   * At-least-once: deliver, then write the late-event marks and commit the offsets of the
   * partitions still owned. Returns once delivered: the next micro-batch is read while the
   * marks and the commit are on their way (`committing`), and only its delivery waits for them.
   */
  async function deliverAndCommit(batch: MicroBatch): Promise<void> {
    const started = Date.now();
    await options.onMoment?.('sort', batch.number);
    const summary = await batch.finish();
    await options.deadLetters.flush?.();
    if (summary.batches > 0) nextBatch = summary.lastBatch + 1;
    const marks = lateStateOf();
    watermarks.commit();
    const commit = commitDelivered(batch, summary, marks, started);
    committing = commit.then(
      () => {
        committing = undefined;
        if (flushing === batch) flushing = undefined;
      },
      (error: Error) => {
        commitFailure ??= error;
        throw error;
      },
    );
    committing.catch(() => undefined); // surfaced by the next flush, or the read loop
  }

  async function commitDelivered(batch: MicroBatch, summary: MicroBatchSummary, marks: OutgoingRecord[], started: number): Promise<void> {
    // Marks written before the delivery had ended would outlive a failed delivery.
    await writeLateState(options.producer, marks);
    await options.onMoment?.('commit', batch.number);
    await settledAssignment();
    const { commits, handedOver } = offsetsOf(batch);
    let committed = true;
    try {
      if (commits.length > 0) await group.commit(commits);
      expired = [];
      lastCommitAt = Date.now();
      for (const { partition, offset } of commits) deliveredThrough.set(partition, offset - 1n);
    } catch (error) {
      committed = false;
      totals.uncommitted++;
      logger.warn(
        { err: error, microBatchNumber: summary.number },
        'offsets not committed (a rebalance?): these records are delivered and may be delivered again by the next owner',
      );
    }
    account(batch, summary, { committed, handedOverPartitions: handedOver }, started);
  }

  /**
   * Exactly-once: the output, the dead-letter-topic records and the offsets in one transaction.
   * A partition handed over since its records were read aborts it all (its output would
   * otherwise be delivered again by the new owner); so does a refused commit (this instance
   * was fenced). After an abort every owned partition is read again from the group's commits.
   */
  async function deliverInTransaction(batch: MicroBatch): Promise<void> {
    const started = Date.now();
    const scope = new TransactionScope(await openTransactional());
    let summary: MicroBatchSummary;
    let lateStateWrite: Promise<void> | undefined;
    let failed = false;
    try {
      let sent = false;
      const afterSend = async () => {
        if (!sent && (sent = true)) await options.onMoment?.('delivery', batch.number);
      };
      transactionOf.get(batch)!.target = {
        send: async (topic, records) => {
          await scope.send(topic, records);
          await afterSend();
        },
        sendEncoded: async (topic, batches) => {
          await scope.sendEncoded(topic, batches);
          await afterSend();
        },
        close: () => scope.close(),
      };
      await options.onMoment?.('sort', batch.number);
      // The changelog records go out as soon as the marks are final, beside the last delivery
      // batches: the transaction holds them all, and an abort discards them with the output.
      void batch.marked.then(() => {
        if (failed || lateStateWrite) return;
        lateStateWrite = writeLateState(scope, lateStateOf());
        lateStateWrite.catch(() => undefined); // surfaced where it is awaited
      });
      summary = await batch.finish();
      await options.deadLetters.flush?.(scope);
      await (lateStateWrite ??= writeLateState(scope, lateStateOf()));
      await options.onMoment?.('commit', batch.number);
      await settledAssignment();
      const { commits, handedOver } = offsetsOf(batch);
      if (handedOver.length > 0) throw new HandedOver(handedOver);
      if (summary.batches > 0) nextBatch = summary.lastBatch + 1;
      const metadata = JSON.stringify({ lastDeliveryBatch: nextBatch - 1 } satisfies CommitMetadata);
      await scope.commit(
        group,
        commits.map((commit) => ({ ...commit, metadata })),
      );
      watermarks.commit();
      expired = [];
      abortsInARow = 0;
      lastCommitAt = Date.now();
      for (const { partition, offset } of commits) deliveredThrough.set(partition, offset - 1n);
      account(batch, summary, { committed: true, transaction: scope.begun }, started);
    } catch (error) {
      failed = true;
      totals.aborted++;
      abortsInARow++;
      batch.abort(error as Error);
      watermarks.rollback();
      // Nothing of this transaction may still be on its way once it is aborted (the producer may begin the next one).
      await lateStateWrite?.catch(() => undefined);
      // A topic deleted under the transaction fails its abort too; the run ends with one line naming the topic.
      const abortLevel = topicMissingCause(error) ? 'debug' : 'warn';
      await scope
        .abort()
        .catch((abortError: unknown) => logger[abortLevel]({ err: abortError }, 'aborting the transaction failed; the broker aborts it at its timeout'));
      if (!(error instanceof HandedOver)) {
        // A fenced or failed producer is not used again.
        const old = transactional;
        transactional = undefined;
        await old?.close().catch(() => undefined);
      }
      positions.clear();
      // Reading the micro-batch again cannot bring a deleted topic back, nor make a record fit.
      if (topicMissingCause(error) || recordsRefusedCause(error)) throw error;
      const refused = transactionRefusedCause(error);
      if (refused) throw refused;
      if (abortsInARow >= MAX_ABORTS_IN_A_ROW) {
        // A reason already worded for the user (the brokers refusing, a timeout) stays one line; anything else keeps its stack.
        const Failure = error instanceof UserFacingError ? UserFacingError : Error;
        throw new Failure(`${abortsInARow} micro-batches aborted in a row; the last: ${(error as Error).message}`, { cause: error });
      }
      logger.warn(
        { err: error, microBatchNumber: batch.number },
        `micro-batch ${batch.number} aborted (${error instanceof HandedOver ? `partitions ${error.partitions.join(', ')} handed over` : (error as Error).message}): read again from the committed offsets`,
      );
    }
  }

  /** The late-event marks this micro-batch changed, and the tombstones pending, as changelog records. */
  function lateStateOf(): OutgoingRecord[] {
    return lateLog ? lateStateRecords(watermarks.changed(), expired) : [];
  }

  async function writeLateState(via: ProducerPort, records: OutgoingRecord[]): Promise<void> {
    if (!lateLog) return;
    // Each visit has one record here, so the sends need no order among them: all at once, each
    // small enough to be one record batch per partition under the topic's max.message.bytes.
    const sends: Promise<void>[] = [];
    splitIntoParts(records, lateLog.maxSendBytes, (start, end) => sends.push(via.send(lateLog.topic, records.slice(start, end))));
    await Promise.all(sends);
  }

  function account(batch: MicroBatch, summary: MicroBatchSummary, outcome: Record<string, unknown>, started: number): void {
    expired.push(...watermarks.expire());
    const seconds = (Date.now() - batch.openedAt) / 1000;
    let lag = 0n;
    for (const partition of ownedSince.keys()) {
      const high = highWatermarks.get(partition);
      const through = deliveredThrough.get(partition);
      if (high !== undefined && through !== undefined && high > through + 1n) lag += high - through - 1n;
    }
    totals.microBatches++;
    for (const count of SUMMED) totals[count] += summary[count];
    options.onMicroBatch?.(seconds);
    logger.info(
      {
        microBatch: { ...summary, ...outcome, lag: Number(lag), seconds, deliverSeconds: (Date.now() - started) / 1000 },
        eventsPerSecond: Math.round(summary.read / Math.max(seconds, 1e-3)),
        lateStateVisits: watermarks.size,
      },
      `micro-batch ${summary.number}: ${summary.read} records, ${summary.delivered} delivered in batches ${summary.firstBatch}..${summary.lastBatch}, lag ${lag}`,
    );
  }

  /**
   * A position outside the partition's log: retention deleted records this group had not read
   * (it was stopped longer than the topic keeps them), or the topic was made anew. As Java's
   * consumer does with auto.offset.reset, reading goes on from --start-from, and the records
   * skipped are named.
   */
  async function readFromStartAgain(partition: number, from: bigint): Promise<void> {
    const startFrom = options.startFrom ?? 'earliest';
    const start = (await group.startOffsets([partition], startFrom)).get(partition)!;
    if (positions.get(partition) !== from) return; // moved meanwhile (an abort, a rebalance)
    logger.warn(
      { partition, from: String(from), to: String(start), skipped: start > from ? Number(start - from) : 0 },
      start > from
        ? `partition ${partition}: offsets ${from} to ${start - 1n} are no longer in the topic (deleted by retention before this group read them); reading on from ${start}`
        : `partition ${partition}: offset ${from} is past the partition's end (the topic made anew?); reading from ${start} (--start-from ${startFrom})`,
    );
    positions.set(partition, start);
    deliveredThrough.set(partition, start - 1n);
  }

  /** The consumer loop: fetch, add to the micro-batch, close it on its trigger. */
  async function run(): Promise<void> {
    while (!stopping) {
      if (commitFailure) throw commitFailure;
      await startPositions();
      const wanted = new Map<number, bigint>();
      for (const partition of ownedSince.keys()) {
        const position = positions.get(partition);
        if (position !== undefined) wanted.set(partition, position);
      }
      const readIn = epoch;
      const untilTrigger = current ? Math.max(0, current.openedAt + triggerIntervalMs - Date.now()) : triggerIntervalMs;
      const fetched = await group.fetch(wanted, Math.max(10, Math.min(500, untilTrigger)));
      for (const { partition, records, nextOffset, highWatermark, outOfRange } of fetched) {
        if (stopping) break;
        highWatermarks.set(partition, highWatermark);
        // Reassigned while the fetch was out: what it read is for the partition's new owner.
        if (readIn !== epoch && !stillOwned(partition, readIn)) continue;
        if (positions.get(partition) !== wanted.get(partition)) continue;
        if (outOfRange) {
          await readFromStartAgain(partition, nextOffset);
          continue;
        }
        let rest = records;
        while (rest.length > 0 && positions.has(partition)) {
          current ??= openMicroBatch();
          const room = triggerEvents - current.read;
          await current.add(partition, readIn, rest.slice(0, room));
          rest = rest.slice(room);
          if (current.read >= triggerEvents) await flush();
        }
        // An aborted micro-batch cleared the positions: everything is read again from the commits.
        if (positions.has(partition)) positions.set(partition, nextOffset);
      }
      if (current && Date.now() - current.openedAt >= triggerIntervalMs) await flush();
    }
  }

  let settle!: { resolve: (totals: StreamingTotals) => void; reject: (error: Error) => void };
  const done = new Promise<StreamingTotals>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined);

  const [opened, joined] = await Promise.allSettled([openingLateLog, group.join()]);
  if (opened.status === 'rejected' || joined.status === 'rejected') {
    await group.close().catch(() => undefined);
    throw opened.status === 'rejected' ? opened.reason : (joined as PromiseRejectedResult).reason;
  }
  const lateLog = opened.value;
  if (lateLog?.grownFrom !== undefined) logger.warn(lateStateGrown(lateLog.topic, lateLog.grownFrom), 'partitions added to the late-state topic');
  // Marks of the new input partitions go to changelog partitions of the same numbers: added before they are assigned.
  group.onPartitionsAdded(async (partitions) => {
    const grownFrom = await lateLog?.grow(partitions);
    if (grownFrom !== undefined) logger.warn(lateStateGrown(lateLog!.topic, grownFrom), 'partitions added to the late-state topic');
  });

  const finished = run().then(
    async () => {
      try {
        await flush();
        await committing;
      } catch (error) {
        throw deletedTopicAsUserError(error as Error);
      }
    },
    (thrown: Error) => {
      const error = deletedTopicAsUserError(thrown);
      failure = error;
      current?.abort(error);
      current = undefined;
      throw error;
    },
  );
  void finished
    .finally(async () => {
      await committing?.catch(() => undefined);
      await group.close().catch(() => undefined);
      await transactional?.close().catch(() => undefined);
    })
    .then(
      () => settle.resolve(totals),
      (error: Error) => settle.reject(error),
    );

  let stopped: Promise<StreamingTotals> | undefined;
  const stop = () =>
    (stopped ??= (() => {
      stopping = true;
      return done;
    })());

  const status = (): StreamingStatus => {
    const lag = new Map<number, number>();
    for (const partition of ownedSince.keys()) {
      const high = highWatermarks.get(partition);
      const delivered = deliveredThrough.get(partition);
      if (high !== undefined && delivered !== undefined) lag.set(partition, Math.max(0, Number(high - 1n - delivered)));
    }
    // A process stopped (SIGSTOP) or starved past the session timeout has been dropped from the group.
    const heartbeat = group.lastHeartbeatAt;
    const live = group.assignment !== undefined && !failure && heartbeat !== undefined && Date.now() - heartbeat <= sessionTimeout;
    return { inGroup: live, lag, lastCommitAt, openSince: (flushing ?? current)?.openedAt };
  };

  return { totals, status, stop, done };
}

/** A topic deleted during the run is the user's to fix, whichever send found it gone: one line, no stack. */
function deletedTopicAsUserError(error: Error): Error {
  const gone = topicMissingCause(error);
  return gone && !(error instanceof UserFacingError) ? new TopicMissingError(gone.message, { cause: error }) : error;
}

/** A transaction aborted because partitions it read from were reassigned. */
class HandedOver extends Error {
  constructor(readonly partitions: number[]) {
    super(`partitions ${partitions.join(', ')} were reassigned`);
  }
}

/** The sink's producer in exactly-once runs: sends through the micro-batch's transaction, set when it is delivered. */
class DeferredProducer implements ProducerPort {
  target: ProducerPort | undefined;

  send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    if (!this.target) return Promise.reject(new Error('a micro-batch sent before its transaction was set'));
    return this.target.send(topic, records);
  }

  sendEncoded(topic: string, batches: readonly EncodedRecordBatch[]): Promise<void> {
    if (!this.target?.sendEncoded) return Promise.reject(new Error('a micro-batch sent before its transaction was set'));
    return this.target.sendEncoded(topic, batches);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
