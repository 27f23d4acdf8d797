import type { Admin, Consumer, EachBatchPayload, Kafka } from 'kafkajs';
import type { ProducerPort } from '../kafka/port.js';
import type { DeadLetterSink } from '../dead-letter/dead-letter.js';
import type { Logger } from '../logger.js';
import { KafkaSink, type KafkaSinkOptions } from '../sinks/kafka-sink.js';
import type { BinnerOptions } from '../stages/bin/binner.js';
import type { LatePolicy } from '../stages/late/mark-late-events.js';
import type { ExternalSortOptions } from '../stages/sort/external-sorter.js';
import { MicroBatch, type MicroBatchSummary } from './micro-batch.js';
import { VisitWatermarks, type VisitWatermarksOptions } from '../stages/late/visit-watermarks.js';

export interface StreamingJobOptions {
  /** kafkajs, for the consumer group (the exactly-once issue moves it to the client port). */
  kafka: Kafka;
  /** A producer behind the client port, for the output topic. The job does not close it. */
  producer: ProducerPort;
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
  late?: { policy?: LatePolicy } & VisitWatermarksOptions;
  sink: Omit<KafkaSinkOptions, 'producer' | 'topic' | 'logger'>;
  dedupe?: boolean;
  maxRowBytes?: number;
  sort?: ExternalSortOptions;
  bin?: Omit<BinnerOptions, 'firstBatch'>;
  logger: Logger;
  /** Told of each micro-batch committed (or not), `seconds` after its first record (metrics). */
  onMicroBatch?: (seconds: number) => void;
}

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
  /** Micro-batches whose offsets could not be committed (their records may be delivered again). */
  uncommitted: number;
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

/**
 * Streaming mode: consumes the input topic in micro-batches, runs each through the ordering
 * stages into the output topic, and commits a micro-batch's offsets only once all its
 * delivery batches are acknowledged, so a crash re-delivers and never loses (at-least-once).
 *
 * Rebalances: every assignment starts a new epoch. A record remembers the epoch it was read
 * in; when a micro-batch's sorted events come out, those of partitions revoked since are
 * dropped (handed over: the new owner reads them from the committed offset), and offsets are
 * committed only for partitions owned without a break since they were read. Delivery batch
 * numbers continue across micro-batches and instances: each commit carries the highest
 * number used, and an instance taking partitions over starts above what their commits say.
 */
export async function startStreamingJob(options: StreamingJobOptions): Promise<StreamingJob> {
  const { kafka, logger, inputTopic, groupId } = options;
  const triggerIntervalMs = options.triggerIntervalMs ?? 20_000;
  const triggerEvents = options.triggerEvents ?? Number.POSITIVE_INFINITY;
  const sessionTimeout = options.sessionTimeoutMs ?? 30_000;
  const heartbeatInterval = Math.max(500, Math.min(3000, Math.floor(sessionTimeout / 5)));
  const watermarks = new VisitWatermarks(options.late ?? {});
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
  };

  const admin: Admin = kafka.admin();
  await admin.connect();
  const consumer: Consumer = kafka.consumer({
    groupId,
    sessionTimeout,
    rebalanceTimeout: Math.max(sessionTimeout, 60_000),
    heartbeatInterval,
    allowAutoTopicCreation: false,
  });

  let epoch = 0;
  /** Partitions owned now, and the epoch since which each has been owned without a break. */
  const ownedSince = new Map<number, number>();
  /** Per owned partition: the last offset this instance delivered (and committed, or tried to). */
  const deliveredThrough = new Map<number, bigint>();
  const highWatermarks = new Map<number, bigint>();
  let nextBatch = 1;
  let batchFloor: Promise<number> = Promise.resolve(1);
  let current: MicroBatch | undefined;
  /** The micro-batch being delivered and committed, if any (current is then the next one). */
  let flushing: MicroBatch | undefined;
  let microBatchNumber = 0;
  let stopping = false;
  let inGroup = false;
  let lastHeartbeatAt = 0;
  let lastCommitAt: number | undefined;
  let lastHeartbeat: (() => Promise<void>) | undefined;

  let settle!: { resolve: (totals: StreamingTotals) => void; reject: (error: Error) => void };
  const done = new Promise<StreamingTotals>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined);
  let failure: Error | undefined;

  // Consumer callbacks, the trigger timer and stop() all touch the current micro-batch: one at a time.
  let lock: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => {
    const run = lock.then(work);
    lock = run.catch(() => undefined);
    return run;
  };

  const fail = (error: Error) => {
    if (failure) return;
    failure = error;
    stopping = true;
    clearInterval(trigger);
    current?.abort(error);
    current = undefined;
    void consumer
      .disconnect()
      .catch(() => undefined)
      .then(() => admin.disconnect().catch(() => undefined))
      .then(() => settle.reject(error));
  };

  consumer.on(consumer.events.HEARTBEAT, () => (lastHeartbeatAt = Date.now()));
  consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
    inGroup = true;
    lastHeartbeatAt = Date.now();
    epoch++;
    const assigned = new Set(payload.memberAssignment[inputTopic] ?? []);
    for (const partition of [...ownedSince.keys()]) {
      if (!assigned.has(partition)) {
        ownedSince.delete(partition);
        deliveredThrough.delete(partition);
      }
    }
    for (const partition of assigned) if (!ownedSince.has(partition)) ownedSince.set(partition, epoch);
    batchFloor = committedBatchFloor();
    logger.info({ group: groupId, partitions: [...assigned].sort((a, b) => a - b), epoch }, 'partitions assigned');
  });
  consumer.on(consumer.events.CRASH, ({ payload }) => {
    if (!payload.restart) fail(new Error(`the consumer stopped: ${payload.error.message}`));
  });

  /** One above the highest delivery batch number any commit of this group records. */
  async function committedBatchFloor(): Promise<number> {
    try {
      const [committed] = await admin.fetchOffsets({ groupId, topics: [inputTopic] });
      let highest = 0;
      for (const { metadata } of committed?.partitions ?? []) {
        if (!metadata) continue;
        try {
          highest = Math.max(highest, (JSON.parse(metadata) as CommitMetadata).lastDeliveryBatch ?? 0);
        } catch {
          // Another tool's metadata: not ours to read.
        }
      }
      return highest + 1;
    } catch (error) {
      logger.warn({ err: error }, 'could not read the committed delivery batch numbers; numbering continues from this instance’s own');
      return 1;
    }
  }

  const stillOwned = (partition: number, readInEpoch: number) => {
    const since = ownedSince.get(partition);
    return since !== undefined && since <= readInEpoch;
  };

  async function openMicroBatch(): Promise<MicroBatch> {
    nextBatch = Math.max(nextBatch, await batchFloor);
    return new MicroBatch({
      number: ++microBatchNumber,
      topic: inputTopic,
      firstBatch: nextBatch,
      sink: new KafkaSink({ ...options.sink, producer: options.producer, topic: options.outputTopic, logger }),
      deadLetters: options.deadLetters,
      late: { watermarks, policy: latePolicy },
      stillOwned,
      ...(options.dedupe !== undefined && { dedupe: options.dedupe }),
      ...(options.maxRowBytes !== undefined && { maxRowBytes: options.maxRowBytes }),
      ...(options.sort && { sort: options.sort }),
      ...(options.bin && { bin: options.bin }),
    });
  }

  async function flush(): Promise<void> {
    const batch = current;
    current = undefined;
    if (!batch) return;
    flushing = batch;
    try {
      await deliverAndCommit(batch);
    } finally {
      flushing = undefined;
    }
  }

  async function deliverAndCommit(batch: MicroBatch): Promise<void> {
    // A long delivery must not cost the group membership: the consumer loop is waiting on us.
    const beat = setInterval(() => void lastHeartbeat?.().catch(() => undefined), heartbeatInterval);
    const started = Date.now();
    let summary: MicroBatchSummary;
    try {
      summary = await batch.finish();
      await options.deadLetters.flush?.();
    } finally {
      clearInterval(beat);
    }
    if (summary.batches > 0) nextBatch = summary.lastBatch + 1;
    const metadata = JSON.stringify({ lastDeliveryBatch: nextBatch - 1 } satisfies CommitMetadata);
    const commits = [];
    const handedOver = [];
    for (const [partition, { next, epoch: readIn }] of batch.nextOffsets) {
      if (stillOwned(partition, readIn)) {
        commits.push({ topic: inputTopic, partition, offset: String(next), metadata });
        deliveredThrough.set(partition, next - 1n);
      } else {
        handedOver.push(partition);
      }
    }
    let committed = true;
    try {
      if (commits.length > 0) await consumer.commitOffsets(commits);
      lastCommitAt = Date.now();
    } catch (error) {
      committed = false;
      totals.uncommitted++;
      logger.warn(
        { err: error, microBatch: summary.number },
        'offsets not committed (a rebalance?): these records are delivered and may be delivered again by the next owner',
      );
    }
    watermarks.expire();
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
        microBatch: { ...summary, committed, handedOverPartitions: handedOver, lag: Number(lag), seconds, deliverSeconds: (Date.now() - started) / 1000 },
        eventsPerSecond: Math.round(summary.read / Math.max(seconds, 1e-3)),
        lateStateVisits: watermarks.size,
      },
      `micro-batch ${summary.number}: ${summary.read} records, ${summary.delivered} delivered in batches ${summary.firstBatch}..${summary.lastBatch}, lag ${lag}`,
    );
  }

  const eachBatch = async ({ batch, heartbeat, isStale }: EachBatchPayload) => {
    lastHeartbeat = heartbeat;
    const partition = batch.partition;
    highWatermarks.set(partition, BigInt(batch.highWatermark));
    await exclusive(async () => {
      if (stopping || isStale() || !ownedSince.has(partition)) return;
      // After a rebalance the consumer reads again from the committed offset: skip what this
      // instance already holds or delivered since it has owned the partition.
      const seen = current ? current.lastOffset(partition) : -1n;
      const delivered = deliveredThrough.get(partition) ?? -1n;
      const after = seen > delivered ? seen : delivered;
      let records = batch.messages.filter((m) => BigInt(m.offset) > after);
      while (records.length > 0 && !stopping) {
        current ??= await openMicroBatch();
        const room = triggerEvents - current.read;
        await current.add(partition, epoch, records.slice(0, room));
        records = records.slice(room);
        if (current.read >= triggerEvents) await flush();
      }
    }).catch((error: Error) => fail(error));
    await heartbeat();
  };

  const trigger = setInterval(
    () => {
      if (current && Date.now() - current.openedAt >= triggerIntervalMs) {
        void exclusive(flush).catch((error: Error) => fail(error));
      }
    },
    Math.max(50, Math.min(1000, triggerIntervalMs / 4)),
  );

  try {
    await consumer.connect();
    await consumer.subscribe({ topic: inputTopic, fromBeginning: (options.startFrom ?? 'earliest') === 'earliest' });
    await consumer.run({ autoCommit: false, eachBatch, eachBatchAutoResolve: true });
  } catch (error) {
    clearInterval(trigger);
    await consumer.disconnect().catch(() => undefined);
    await admin.disconnect().catch(() => undefined);
    throw error;
  }

  let stopped: Promise<StreamingTotals> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      clearInterval(trigger);
      try {
        await exclusive(flush);
      } catch (error) {
        fail(error as Error);
        return done;
      }
      // Commits go through the running consumer, so leave the group only after the last one.
      await consumer.disconnect();
      inGroup = false;
      await admin.disconnect().catch(() => undefined);
      settle.resolve(totals);
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
    const live = inGroup && !failure && Date.now() - lastHeartbeatAt <= sessionTimeout;
    return { inGroup: live, lag, lastCommitAt, openSince: (flushing ?? current)?.openedAt };
  };

  return { totals, status, stop, done };
}
