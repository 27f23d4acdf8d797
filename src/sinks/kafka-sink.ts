import { setTimeout as sleep } from 'node:timers/promises';
import { Writable } from 'node:stream';
import { CompressionTypes, type Message, type Producer } from 'kafkajs';
import type { DeliveryBatch } from '../events.js';
import type { Logger } from '../logger.js';

export interface KafkaSinkOptions {
  /** A connected kafkajs producer (see createBatchProducer). The sink does not disconnect it. */
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
 * A Writable of DeliveryBatches that produces them to Kafka in order: all of batch n's records
 * may be in flight at once (no batch holds a visit twice, so nothing in flight can overtake an
 * earlier event of its visit), and batch n+1 starts only when every record of batch n is
 * acknowledged. The write callback waits for those acknowledgements, so a slow broker pauses
 * the whole pipeline. Records: key visit_id, value the event's original bytes, header
 * delivery_batch (and `late: true` for a late event in streaming mode).
 */
export class KafkaSink extends Writable {
  readonly stats: KafkaSinkStats = { batches: 0, delivered: 0, requests: 0, resent: 0, deliverySeconds: 0 };
  private firstBatchAt: number | undefined;
  private readonly options: Required<Omit<KafkaSinkOptions, 'logger'>> & { logger: Logger | undefined };
  private inFlight: Promise<void> | undefined;
  private stopping = false;

  constructor(options: KafkaSinkOptions) {
    super({ objectMode: true, highWaterMark: 1 });
    this.options = {
      acks: -1,
      compression: 'none',
      maxRequestBytes: 900 * 1024,
      batchRetries: 5,
      ...options,
      logger: options.logger,
    };
  }

  /**
   * Starts no further batch, and resolves once the batch being delivered (if any) is
   * acknowledged or has failed: what a signal handler waits for before tearing down.
   */
  stop(): Promise<void> {
    this.stopping = true;
    return this.inFlight?.catch(() => undefined) ?? Promise.resolve();
  }

  override _write(batch: DeliveryBatch, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.stopping) {
      callback(new Error(`stopped before delivery batch ${batch.number}`));
      return;
    }
    this.firstBatchAt ??= performance.now();
    this.inFlight = this.deliver(batch);
    this.inFlight.then(
      () => callback(),
      (error: Error) => callback(error),
    );
  }

  private async deliver(batch: DeliveryBatch): Promise<void> {
    const { producer, topic, acks, batchRetries, logger } = this.options;
    const compression = this.options.compression === 'gzip' ? CompressionTypes.GZIP : CompressionTypes.None;
    let pending = splitIntoRequests(batch, this.options.maxRequestBytes);
    let acknowledged = 0;
    for (let attempt = 0; ; attempt++) {
      this.stats.requests += pending.length;
      const results = await Promise.allSettled(pending.map((messages) => producer.send({ topic, acks, compression, messages })));
      const failed = pending.filter((_, i) => results[i]!.status === 'rejected');
      acknowledged += pending.filter((_, i) => results[i]!.status === 'fulfilled').reduce((n, m) => n + m.length, 0);
      if (failed.length === 0) break;
      const reason = (results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason as Error;
      if (attempt >= batchRetries) {
        this.stats.delivered += acknowledged;
        throw new BatchDeliveryError(
          `delivery batch ${batch.number} failed after ${attempt + 1} attempts: ${reason.message}. ` +
            `${acknowledged} of its ${batch.events.length} records were acknowledged; all ${this.stats.batches} earlier batches ` +
            `(${this.stats.delivered - acknowledged} records) were delivered completely.`,
        );
      }
      // Only this batch's unacknowledged requests go again, and the next batch waits for them.
      const records = failed.reduce((n, m) => n + m.length, 0);
      this.stats.resent += records;
      logger?.warn({ batch: batch.number, attempt: attempt + 1, records, err: reason }, 'delivery batch partly failed; re-sending its failed requests');
      await sleep(Math.min(30_000, 500 * 2 ** attempt));
      pending = failed;
    }
    this.stats.batches++;
    this.stats.delivered += acknowledged;
    this.stats.deliverySeconds = (performance.now() - this.firstBatchAt!) / 1000;
  }
}

/** The batch's records, grouped into requests of at most maxRequestBytes (one record always fits). */
export function splitIntoRequests(batch: DeliveryBatch, maxRequestBytes: number): Message[][] {
  const header = String(batch.number);
  const requests: Message[][] = [];
  let current: Message[] = [];
  let bytes = 0;
  for (const event of batch.events) {
    const value = Buffer.from(event.text, 'utf8');
    const size = value.length + Buffer.byteLength(event.visitId) + header.length + RECORD_OVERHEAD_BYTES;
    if (current.length > 0 && bytes + size > maxRequestBytes) {
      requests.push(current);
      current = [];
      bytes = 0;
    }
    current.push({ key: event.visitId, value, headers: event.late ? { delivery_batch: header, late: 'true' } : { delivery_batch: header } });
    bytes += size;
  }
  if (current.length > 0) requests.push(current);
  return requests;
}

export function kafkaSink(options: KafkaSinkOptions): KafkaSink {
  return new KafkaSink(options);
}
