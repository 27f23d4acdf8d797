import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { CompressionTypes, Partitioners, type Message, type Producer } from 'kafkajs';
import { eventBytes, type DeliveryBatch, type VisitEvent } from '../events.js';
import type { Logger } from '../logger.js';

export type DeliveryBarrier = 'batch' | 'partition';

export interface KafkaSinkOptions {
  /** A connected kafkajs producer (see connectBatchProducer). The sink does not disconnect it. */
  producer: Producer;
  topic: string;
  /** -1 = all in-sync replicas (default), 1 = leader, 0 = none. */
  acks?: -1 | 0 | 1;
  compression?: 'none' | 'gzip';
  /**
   * Most bytes (keys, values, headers) in one produce request. A delivery batch larger than
   * this goes out as several requests, in flight together, and still counts as one batch.
   * The default (900 KiB) stays under the broker's default message.max.bytes (1 MiB) per partition.
   */
  maxRequestBytes?: number;
  /** Re-sends of a batch's failed requests after kafkajs' own retries gave up (default 5). */
  batchRetries?: number;
  /**
   * `batch`: batch n+1 starts once all of batch n is acknowledged. `partition`: batch n+1's
   * records for a partition go once batch n's records for that partition are acknowledged, so
   * partitions move independently (needs `partitions`). Default: `partition` when `partitions`
   * is given (measured faster: bench/RESULTS.md), else `batch`.
   */
  barrier?: DeliveryBarrier;
  /** The topic's partition count, for the `partition` barrier (see topicPartitionCount). */
  partitions?: number;
  /** With the `partition` barrier: batches accepted ahead of full acknowledgement (default 4). */
  maxBatchesInFlight?: number;
  logger?: Logger;
}

export interface KafkaSinkStats {
  batches: number;
  /** Records acknowledged by the broker. */
  delivered: number;
  requests: number;
  /** Records sent again after a failed request; without --idempotent each may be a duplicate. */
  resent: number;
  /** Seconds from the first batch's arrival to the last acknowledgement: the delivery phase alone. */
  deliverySeconds: number;
}

export class BatchDeliveryError extends Error {
  override name = 'BatchDeliveryError';
}

const RECORD_OVERHEAD_BYTES = 70;

/**
 * A Writable of DeliveryBatches that produces them to Kafka in order. No batch holds a visit
 * twice, so all of a batch's records may be in flight at once without one overtaking an
 * earlier event of its visit; what must wait is the next batch. With the `batch` barrier it
 * waits for every record of the batch before; with the `partition` barrier only for the
 * records of the batch before on the same partition (a visit's events share a partition, as
 * the partitioner is murmur2 of the key). The write callback waits for acknowledgements, so a
 * slow broker pauses the whole pipeline. Records: key visit_id, value the event's original
 * bytes, header delivery_batch (and `late: true` for a late event in streaming mode).
 */
export class KafkaSink extends Writable {
  readonly stats: KafkaSinkStats = { batches: 0, delivered: 0, requests: 0, resent: 0, deliverySeconds: 0 };
  private firstBatchAt: number | undefined;
  private readonly options: Required<Omit<KafkaSinkOptions, 'logger' | 'partitions'>> & { logger: Logger | undefined; partitions: number };
  /** Everything not yet settled: what stop() and the end of the stream wait for. */
  private readonly unsettled = new Set<Promise<void>>();
  /** Per partition, the delivery of its share of the latest batch (the `partition` barrier). */
  private readonly partitionTails = new Map<number, Promise<void>>();
  private readonly partitionOf: (visitId: string) => number;
  private stopping = false;
  private failure: Error | undefined;

  constructor(options: KafkaSinkOptions) {
    super({ objectMode: true, highWaterMark: 1 });
    this.options = {
      acks: -1,
      compression: 'none',
      maxRequestBytes: 900 * 1024,
      batchRetries: 5,
      barrier: options.partitions ? 'partition' : 'batch',
      maxBatchesInFlight: 4,
      ...options,
      partitions: options.partitions ?? 0,
      logger: options.logger,
    };
    if (this.options.barrier === 'partition' && !(this.options.partitions > 0)) {
      throw new Error('the partition barrier needs the topic\'s partition count (options.partitions)');
    }
    this.partitionOf = javaPartitioner(this.options.topic, this.options.partitions);
  }

  /**
   * Starts no further batch, and resolves once the batches being delivered are acknowledged
   * or have failed: what a signal handler waits for before tearing down.
   */
  stop(): Promise<void> {
    this.stopping = true;
    return Promise.allSettled([...this.unsettled]).then(() => undefined);
  }

  override _write(batch: DeliveryBatch, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.stopping) {
      // Fail the pipeline only once the batches accepted earlier have settled, so whoever
      // reports the run afterwards counts every record they delivered.
      void this.stop().then(() => callback(new Error(`stopped before delivery batch ${batch.number}`)));
      return;
    }
    if (this.failure) return callback(this.failure);
    this.firstBatchAt ??= performance.now();
    if (this.options.barrier === 'batch') {
      this.track(this.deliverWhole(batch)).then(() => callback(), callback);
      return;
    }
    const byPartition = new Map<number, VisitEvent[]>();
    for (const event of batch.events) {
      const partition = this.partitionOf(event.visitId);
      const share = byPartition.get(partition);
      if (share) share.push(event);
      else byPartition.set(partition, [event]);
    }
    const shares: Promise<void>[] = [];
    for (const [partition, events] of byPartition) {
      const previous = this.partitionTails.get(partition) ?? Promise.resolve();
      const share = previous.then(() => this.sendWithRetries(batch, requestsFor(batch.number, events, this.options.maxRequestBytes, partition)));
      // A failed share stops its partition: nothing later may overtake what it left unsent.
      this.partitionTails.set(partition, share);
      shares.push(share);
    }
    const whole = this.track(Promise.all(shares).then(() => this.countDelivered()));
    whole.catch((error: Error) => {
      this.failure ??= error;
      this.destroy(error);
    });
    // Accept the next batch while fewer than maxBatchesInFlight are unsettled.
    if (this.unsettled.size < this.options.maxBatchesInFlight) return callback();
    void Promise.race(this.unsettled).then(
      () => callback(),
      () => undefined, // reported through destroy()
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    Promise.all([...this.unsettled]).then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  /** The `batch` barrier: all requests of the batch, then the write callback. */
  private async deliverWhole(batch: DeliveryBatch): Promise<void> {
    await this.sendWithRetries(batch, splitIntoRequests(batch, this.options.maxRequestBytes));
    this.countDelivered();
  }

  /** A whole batch is acknowledged. */
  private countDelivered(): void {
    this.stats.batches++;
    this.stats.deliverySeconds = (performance.now() - this.firstBatchAt!) / 1000;
  }

  /** Sends requests in flight together; failed ones go again (only those), with backoff. */
  private async sendWithRetries(batch: DeliveryBatch, requests: Message[][]): Promise<void> {
    const { producer, topic, acks, batchRetries, logger } = this.options;
    const compression = this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    let pending = requests;
    for (let attempt = 0; ; attempt++) {
      if (this.failure) throw this.failure;
      this.stats.requests += pending.length;
      const results = await Promise.allSettled(pending.map((messages) => producer.send({ topic, acks, compression, messages })));
      const failed = pending.filter((_, i) => results[i]!.status === 'rejected');
      this.stats.delivered += pending.filter((_, i) => results[i]!.status === 'fulfilled').reduce((n, m) => n + m.length, 0);
      if (failed.length === 0) return;
      const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
      if (attempt >= batchRetries) {
        throw new BatchDeliveryError(
          `delivery batch ${batch.number} failed after ${attempt + 1} attempts: ${reason.message}. ` +
            `${failed.reduce((n, m) => n + m.length, 0)} of its ${batch.events.length} records were not acknowledged; ` +
            `${this.stats.batches} batches before it were delivered completely, ${this.stats.delivered} records in all.`,
        );
      }
      // Only the failed requests go again, and whatever comes next on their partitions waits.
      const records = failed.reduce((n, m) => n + m.length, 0);
      this.stats.resent += records;
      logger?.warn({ batch: batch.number, attempt: attempt + 1, records, err: reason }, 'delivery batch partly failed; re-sending its failed requests');
      await sleep(Math.min(30_000, 500 * 2 ** attempt));
      pending = failed;
    }
  }

  private track(work: Promise<void>): Promise<void> {
    this.unsettled.add(work);
    const untrack = () => this.unsettled.delete(work);
    work.then(untrack, untrack);
    return work;
  }
}

/** The partition Kafka's Java default partitioner (murmur2 of the key) gives each visit id. */
export function javaPartitioner(topic: string, partitions: number): (key: string) => number {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: Math.max(1, partitions) }, (_, partitionId) => ({ partitionId, leader: 0, replicas: [0], isr: [0], partitionErrorCode: 0 }));
  return (key) => partitioner({ topic, partitionMetadata, message: { key, value: null } });
}

/** The batch's records, grouped into requests of at most maxRequestBytes (one record always fits). */
export function splitIntoRequests(batch: DeliveryBatch, maxRequestBytes: number): Message[][] {
  return requestsFor(batch.number, batch.events, maxRequestBytes);
}

function requestsFor(batchNumber: number, events: VisitEvent[], maxRequestBytes: number, partition?: number): Message[][] {
  const header = String(batchNumber);
  const requests: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const event of events) {
    const value = eventBytes(event);
    const size = value.length + Buffer.byteLength(event.visitId) + header.length + RECORD_OVERHEAD_BYTES;
    if (current.length > 0 && bytes + size > maxRequestBytes) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    const message: Message = { key: event.visitId, value, headers: event.late ? { delivery_batch: header, late: 'true' } : { delivery_batch: header } };
    if (partition !== undefined) message.partition = partition;
    current.push(message);
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

export function kafkaSink(options: KafkaSinkOptions): KafkaSink {
  return new KafkaSink(options);
}
