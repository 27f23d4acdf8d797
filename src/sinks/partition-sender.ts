import type { Logger } from '../logger.js';
import { recordsOfEncodedBatch } from '../kafka/encoded-batches.js';
import { KafkaSendError, type EncodedRecordBatch, type OutgoingRecord, type ProducerPort } from '../kafka/port.js';
import { partBytesFor, splitIntoParts } from '../kafka/record-parts.js';
import { UserFacingError } from '../user-facing-error.js';

export interface PartitionSenderOptions {
  producer: ProducerPort;
  topic: string;
  /** Most record bytes in one send call. */
  maxRequestBytes: number;
  /**
   * Most record bytes of one part: a partition's share goes out in parts, in flight together,
   * one part per partition per call (default: partBytesFor with maxRequestBytes).
   */
  maxPartBytes?: number;
  /**
   * How long a part may keep being re-sent after retriable errors, from its first send, before
   * the delivery fails: Kafka's delivery.timeout.ms (its default is 120 s).
   */
  deliveryTimeoutMs: number;
  /** First wait before a part is sent again; it doubles per attempt, up to 5 s. */
  retryBackoffMs?: number;
  /** Counted into, live: a caller may hand in an object it shows as progress. */
  stats?: SenderStats;
  logger?: Logger;
}

export interface SenderStats {
  /** Batches whose every record is acknowledged. */
  batches: number;
  /** Records acknowledged by the broker. */
  delivered: number;
  /** Send calls made (each is one produce request per broker involved). */
  requests: number;
  /** Records sent again after a failed call; without idempotence each may be a duplicate. */
  resent: number;
}

/** The brokers refused a batch or did not take it in time: the message says which, and what was delivered. */
export class BatchDeliveryError extends UserFacingError {
  override name = 'BatchDeliveryError';
}

/** A delivery batch's records for one partition, or a piece of them (see maxPartBytes): records, or a batch of them encoded ahead. */
interface Part {
  batch: number;
  partition: number;
  records: OutgoingRecord[] | undefined;
  encoded: EncodedRecordBatch | undefined;
  /** Records in the part. */
  count: number;
  bytes: number;
  state: 'queued' | 'sending' | 'acked';
  attempts: number;
  /** When it was first sent (performance.now()). */
  firstSent: number;
  /** Not sent again before this time (performance.now()). */
  notBefore: number;
  settles: BatchSettlement;
}

interface BatchSettlement {
  parts: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

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
  readonly stats: SenderStats;
  /** Unsettled parts per partition, oldest batch first; a partition without any has no entry. */
  private readonly queues = new Map<number, Part[]>();
  private readonly unsettled = new Set<BatchSettlement>();
  private failure: Error | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private pumpScheduled = false;
  /** Send calls not yet answered. */
  private readonly inFlight = new Set<Promise<void>>();

  private readonly maxPartBytes: number;

  constructor(private readonly options: PartitionSenderOptions) {
    this.stats = options.stats ?? { batches: 0, delivered: 0, requests: 0, resent: 0 };
    this.maxPartBytes = options.maxPartBytes ?? partBytesFor(undefined, options.maxRequestBytes);
  }

  /**
   * Queues a delivery batch's records, grouped by partition, behind the batches submitted
   * before it on the same partitions. Resolves when all of them are acknowledged.
   */
  submit(batch: number, byPartition: ReadonlyMap<number, OutgoingRecord[]>): Promise<void> {
    return this.queue(batch, (settles, add) => {
      for (const [partition, records] of byPartition) {
        splitIntoParts(records, this.maxPartBytes, (start, end, bytes) => {
          const part = start === 0 && end === records.length ? records : records.slice(start, end);
          add(this.part(batch, partition, part, undefined, part.length, bytes, settles));
        });
      }
    });
  }

  /** submit() for a delivery batch encoded ahead, already in parts (EncodedDeliveryBatch), each sent as it is. */
  submitEncoded(batch: number, parts: readonly EncodedRecordBatch[]): Promise<void> {
    return this.queue(batch, (settles, add) => {
      for (const encoded of parts) {
        if (encoded.records > 0) add(this.part(batch, encoded.partition, undefined, encoded, encoded.records, encoded.bytes.length, settles));
      }
    });
  }

  /** Queues the parts `fill` adds, each behind its partition's parts submitted before. */
  private queue(batch: number, fill: (settles: BatchSettlement, add: (part: Part) => void) => void): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    let settles!: BatchSettlement;
    const done = new Promise<void>((resolve, reject) => (settles = { parts: 0, resolve, reject }));
    fill(settles, (part) => {
      let queue = this.queues.get(part.partition);
      if (!queue) this.queues.set(part.partition, (queue = []));
      queue.push(part);
      settles.parts++;
    });
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
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Fails every unsettled batch: nothing more is sent. */
  abort(error: Error): void {
    this.fail(error);
  }

  private part(
    batch: number,
    partition: number,
    records: OutgoingRecord[] | undefined,
    encoded: EncodedRecordBatch | undefined,
    count: number,
    bytes: number,
    settles: BatchSettlement,
  ): Part {
    return { batch, partition, records, encoded, count, bytes, state: 'queued', attempts: 0, firstSent: 0, notBefore: 0, settles };
  }

  /** Pumps once the current task's submits and acknowledgements are all in, so they share calls. */
  private schedulePump(): void {
    if (this.pumpScheduled) return;
    this.pumpScheduled = true;
    queueMicrotask(() => {
      this.pumpScheduled = false;
      this.pump();
    });
  }

  /** Sends every part whose partition is ready, in calls of at most maxRequestBytes and one part per partition. */
  private pump(): void {
    if (this.failure) return;
    const now = performance.now();
    let call: Part[] = [];
    let bytes = 0;
    let lastPartition = -1;
    let waiting = Number.POSITIVE_INFINITY;
    for (const queue of this.queues.values()) {
      const front = queue[0]!.batch;
      for (const part of queue) {
        if (part.batch !== front) break;
        if (part.state !== 'queued') continue;
        if (part.notBefore > now) {
          waiting = Math.min(waiting, part.notBefore);
          continue;
        }
        // A partition's ready parts come one after another here: a second one starts a new call.
        if (call.length > 0 && (bytes + part.bytes > this.options.maxRequestBytes || part.partition === lastPartition)) {
          this.dispatch(call);
          call = [];
          bytes = 0;
        }
        part.state = 'sending';
        if (part.attempts === 0) part.firstSent = now;
        call.push(part);
        bytes += part.bytes;
        lastPartition = part.partition;
      }
    }
    if (call.length > 0) this.dispatch(call);
    if (waiting !== Number.POSITIVE_INFINITY && !this.retryTimer) {
      this.retryTimer = setTimeout(
        () => {
          this.retryTimer = undefined;
          this.pump();
        },
        Math.max(0, waiting - now),
      );
    }
  }

  private dispatch(parts: Part[]): void {
    const { producer, topic } = this.options;
    this.stats.requests++;
    const sent =
      producer.sendEncoded && parts.every((part) => part.encoded)
        ? producer.sendEncoded(
            topic,
            parts.map((part) => part.encoded!),
          )
        : producer.send(topic, parts.length === 1 ? recordsOf(parts[0]!) : parts.flatMap(recordsOf));
    const call = sent.then(
      () => this.acknowledged(parts),
      (error: unknown) => this.failed(parts, error),
    );
    this.inFlight.add(call);
    void call.finally(() => this.inFlight.delete(call));
  }

  private acknowledged(parts: Part[]): void {
    // Acknowledged records are in the topic, even after another send failed the delivery.
    for (const part of parts) this.stats.delivered += part.count;
    if (this.failure) return;
    for (const part of parts) {
      part.state = 'acked';
      const queue = this.queues.get(part.partition)!;
      while (queue.length > 0 && queue[0]!.state === 'acked') queue.shift();
      if (queue.length === 0) this.queues.delete(part.partition);
      if (--part.settles.parts === 0) {
        this.unsettled.delete(part.settles);
        this.stats.batches++;
        part.settles.resolve();
      }
    }
    this.schedulePump();
  }

  private failed(all: Part[], error: unknown): void {
    // The brokers answer per partition: what they wrote is acknowledged (counted even after
    // another send failed the delivery), and is not sent again.
    const written = error instanceof KafkaSendError ? error.acknowledged : undefined;
    const parts = written?.size ? all.filter((part) => !written.has(part.partition)) : all;
    if (parts.length < all.length) this.acknowledged(all.filter((part) => written!.has(part.partition)));
    if (this.failure || parts.length === 0) return;
    const records = parts.reduce((n, part) => n + part.count, 0);
    const retriable = !(error instanceof KafkaSendError) || error.retriable;
    const attempts = Math.max(...parts.map((part) => part.attempts)) + 1;
    const reason = (error as Error).message.replace(/\.+$/, '');
    const now = performance.now();
    const firstSent = Math.min(...parts.map((part) => part.firstSent));
    if (!retriable || now - firstSent >= this.options.deliveryTimeoutMs) {
      const first = parts.reduce((a, b) => (b.batch < a.batch ? b : a));
      this.fail(
        new BatchDeliveryError(
          `delivery batch ${first.batch} failed${retriable ? ` after ${attempts} attempts in ${Math.round((now - firstSent) / 1000)} s (the delivery timeout)` : ' (not retriable)'}: ${reason}. ` +
            tooLargeHint(reason, parts, this.maxPartBytes) +
            `${plural(records, 'record')} of this send ${records === 1 ? 'was' : 'were'} not acknowledged; ${plural(this.stats.batches, 'batch', 'batches')} ${this.stats.batches === 1 ? 'was' : 'were'} delivered completely, ${plural(this.stats.delivered, 'record')} in all.`,
          { cause: error },
        ),
      );
      return;
    }
    this.stats.resent += records;
    this.options.logger?.warn(
      { batches: [...new Set(parts.map((p) => p.batch))], attempt: attempts, records, err: error },
      'a send failed; re-sending its records, and nothing later on their partitions goes before them',
    );
    const notBefore = now + Math.min(5000, (this.options.retryBackoffMs ?? 100) * 2 ** (attempts - 1));
    for (const part of parts) {
      part.state = 'queued';
      part.attempts = attempts;
      part.notBefore = notBefore;
    }
    this.schedulePump();
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    clearTimeout(this.retryTimer);
    this.queues.clear();
    for (const settles of this.unsettled) settles.reject(error);
    this.unsettled.clear();
  }
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** What to do about a record batch the broker refused as too large: a record larger than a part may be, or parts larger than the topic takes. */
function tooLargeHint(reason: string, parts: readonly Part[], maxPartBytes: number): string {
  if (!/MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE/.test(reason)) return '';
  return parts.some((part) => part.count === 1 && part.bytes > maxPartBytes)
    ? "A record, with its key and headers, is larger than the topic's max.message.bytes: raise that on the topic, or lower the row limit (--max-row-bytes) below it so that such rows are dead-lettered. "
    : "The topic takes smaller record batches than were sent: the sink keeps them under the topic's max.message.bytes when it may read it (DescribeConfigs on the topic), or lower --max-request-bytes below it. ";
}

/** A part's records; those of a batch encoded ahead read back once, for a producer that takes only records. */
function recordsOf(part: Part): OutgoingRecord[] {
  return (part.records ??= recordsOfEncodedBatch(part.encoded!));
}
