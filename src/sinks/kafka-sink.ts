import { Writable } from 'node:stream';
import { eventBytes, StoredEvent, type DeliveryBatch } from '../events.js';
import { javaRangePartitioner } from '../kafka/java-partitioner.js';
import { SlicedRecord } from '../kafka/sliced-record.js';
import type { OutgoingRecord, ProducerPort } from '../kafka/port.js';
import type { Logger } from '../logger.js';
import { DeliveryLineReader, type ReadBatch } from '../kafka/delivery-line-reader.js';
import { DeliveryBatchEncoder, EncodedDeliveryBatch, type RecordBatchLayout } from '../kafka/encoded-batches.js';
import { PartitionSender } from './partition-sender.js';
import { partBytesFor } from '../kafka/record-parts.js';

export { BatchDeliveryError } from './partition-sender.js';

export type DeliveryBarrier = 'batch' | 'partition';

/** Most record bytes in one send call unless set: one call per barrier step of typical batches (bench/README.md). */
export const DEFAULT_MAX_REQUEST_BYTES = 2 * 1024 * 1024;

export interface KafkaSinkOptions {
  /** A producer behind the client port (KafkaClient.producer, or kafkajsProducer). The sink does not close it. */
  producer: ProducerPort;
  topic: string;
  /** The topic's partition count (KafkaClient.partitionCount): records are partitioned as Java's producer does. */
  partitions: number;
  /**
   * Most record bytes in one send call (default 2 MiB: a step of 2,000 events of ~470 bytes in
   * one request). A delivery batch's share of a partition goes out in parts of at most 900 KiB,
   * under the broker's default message.max.bytes (1 MiB; see maxMessageBytes), in flight
   * together, and still counts as one share.
   */
  maxRequestBytes?: number;
  /**
   * The topic's max.message.bytes (KafkaClient.topicConfig), when it is not the broker
   * default: each part's record batch stays under it. A record too large for it alone is
   * refused by the broker (MESSAGE_TOO_LARGE).
   */
  maxMessageBytes?: number | undefined;
  /**
   * How long a share may keep being re-sent after retriable errors (timeouts, a broker
   * restarting) before the delivery fails: Kafka's delivery.timeout.ms (default 120 s).
   */
  deliveryTimeoutMs?: number;
  /**
   * `partition` (default): batch n+1's records for a partition go once batch n's records for
   * that partition are acknowledged, so partitions move independently. `batch`: batch n+1
   * starts once all of batch n is acknowledged.
   */
  barrier?: DeliveryBarrier;
  /** With the `partition` barrier: batches accepted ahead of full acknowledgement (default 4). */
  maxBatchesInFlight?: number;
  logger?: Logger;
  /** Told of each delivery batch's submission and settlement (metrics). */
  observer?: DeliveryObserver;
}

/** What KafkaSink reports each delivery batch's life to. */
export interface DeliveryObserver {
  submitted(): void;
  /** The batch is acknowledged, or failed, `seconds` after it was submitted. */
  settled(seconds: number): void;
}

export interface KafkaSinkStats {
  /** Batches whose every record is acknowledged. */
  batches: number;
  /** Records acknowledged by the broker. */
  delivered: number;
  /** Send calls (each one produce request per broker involved). */
  requests: number;
  /** Records sent again after a failed send; without idempotence each may be a duplicate. */
  resent: number;
  /** Seconds from the first batch's arrival to the last acknowledgement: the delivery phase alone. */
  deliverySeconds: number;
}

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
  readonly stats: KafkaSinkStats = { batches: 0, delivered: 0, requests: 0, resent: 0, deliverySeconds: 0 };
  /** Also takes chunks of delivery lines: see _write. */
  readonly acceptsDeliveryLines = true;
  /**
   * How delivery batches encoded ahead (EncodedDeliveryBatch) must be laid out for this sink,
   * when its producer sends them as they are; undefined when it takes records only.
   */
  readonly recordBatchLayout: RecordBatchLayout | undefined;
  private readonly sender: PartitionSender;
  /** The partition of the key `bytes[start, end)`, as Java's producer chooses it. */
  private readonly partitionOf: (bytes: Uint8Array, start: number, end: number) => number;
  private readonly barrier: DeliveryBarrier;
  private readonly partitions: number;
  private readonly encoder: DeliveryBatchEncoder | undefined;
  private readonly maxBatchesInFlight: number;
  private readonly unsettled = new Set<Promise<void>>();
  private firstBatchAt: number | undefined;
  private lineReader: DeliveryLineReader | undefined;
  private stopping = false;
  private failure: Error | undefined;

  private readonly observer: DeliveryObserver | undefined;

  constructor(options: KafkaSinkOptions) {
    super({ objectMode: true, highWaterMark: 1 });
    this.observer = options.observer;
    if (!(options.partitions > 0)) throw new Error("the Kafka sink needs the topic's partition count (options.partitions)");
    this.barrier = options.barrier ?? 'partition';
    this.maxBatchesInFlight = this.barrier === 'batch' ? 1 : (options.maxBatchesInFlight ?? 4);
    this.partitions = options.partitions;
    this.partitionOf = javaRangePartitioner(options.partitions);
    const maxRequestBytes = options.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES;
    const maxPartBytes = partBytesFor(options.maxMessageBytes, maxRequestBytes);
    this.recordBatchLayout = options.producer.sendEncoded ? { partitions: options.partitions, maxPartBytes } : undefined;
    this.encoder = options.producer.sendEncoded && new DeliveryBatchEncoder(maxPartBytes);
    this.sender = new PartitionSender({
      producer: options.producer,
      topic: options.topic,
      maxRequestBytes,
      maxPartBytes,
      deliveryTimeoutMs: options.deliveryTimeoutMs ?? 120_000,
      stats: this.stats,
      ...(options.logger && { logger: options.logger }),
    });
  }

  /**
   * Starts no further batch, and resolves once the batches being delivered are acknowledged
   * or have failed: what a signal handler waits for before tearing down.
   */
  stop(): Promise<void> {
    this.stopping = true;
    return Promise.allSettled([...this.unsettled]).then(() => undefined);
  }

  /**
   * A DeliveryBatch, a chunk of delivery lines (the NDJSON sink's format, as a merge on a
   * worker thread writes them: see DeliveryLineReader), or an EncodedDeliveryBatch laid out as
   * recordBatchLayout says (binPack's `recordBatches`).
   */
  override _write(chunk: DeliveryBatch | Buffer | EncodedDeliveryBatch, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    let batches: (ReadBatch | EncodedDeliveryBatch)[];
    try {
      batches = Buffer.isBuffer(chunk)
        ? (this.lineReader ??= new DeliveryLineReader(this.partitionOf)).push(chunk)
        : chunk instanceof EncodedDeliveryBatch
          ? [this.checkLayout(chunk)]
          : [this.recordsOf(chunk)];
    } catch (error) {
      return callback(error as Error);
    }
    this.deliver(batches, callback);
  }

  /**
   * Submits each batch once fewer than maxBatchesInFlight are unsettled (with the `batch`
   * barrier: once the one before is acknowledged), and accepts the next write on the same terms.
   */
  private deliver(batches: (ReadBatch | EncodedDeliveryBatch)[], callback: (error?: Error | null) => void): void {
    const run = async () => {
      for (const batch of batches) {
        await this.whenFewerInFlight();
        if (this.stopping) {
          // Fail the pipeline only once the batches accepted earlier have settled, so whoever
          // reports the run afterwards counts every record they delivered.
          await this.stop();
          throw new Error(`stopped before delivery batch ${batch.number}`);
        }
        if (this.failure) throw this.failure;
        this.firstBatchAt ??= performance.now();
        if (batch instanceof EncodedDeliveryBatch) {
          const delivery = this.sender.submitEncoded(batch.number, batch.parts);
          // A producer with sendEncoded is done with the bytes once they are acknowledged (ProducerPort).
          if (this.recordBatchLayout)
            delivery.then(
              () => batch.release(),
              () => undefined,
            );
          this.track(delivery);
        } else {
          this.track(this.sender.submit(batch.number, batch.byPartition));
        }
      }
      await this.whenFewerInFlight();
    };
    run().then(
      () => callback(),
      (error: Error) => {
        // A failed delivery is reported through destroy(), once its sends are answered.
        if (error !== this.failure) callback(error);
      },
    );
  }

  private async whenFewerInFlight(): Promise<void> {
    while (this.unsettled.size >= this.maxBatchesInFlight) await Promise.race(this.unsettled);
  }

  private track(delivery: Promise<void>): void {
    this.unsettled.add(delivery);
    const submittedAt = performance.now();
    this.observer?.submitted();
    const settled = () => this.observer?.settled((performance.now() - submittedAt) / 1000);
    delivery.then(settled, settled);
    delivery.then(
      () => {
        this.unsettled.delete(delivery);
        this.stats.deliverySeconds = (performance.now() - this.firstBatchAt!) / 1000;
      },
      (error: Error) => {
        this.unsettled.delete(delivery);
        if (this.failure) return;
        this.failure = error;
        // Sends still in flight are answered first, so `delivered` counts every record they wrote.
        void this.sender.idle().then(() => this.destroy(error));
      },
    );
  }

  override _final(callback: (error?: Error | null) => void): void {
    let last: ReadBatch | undefined;
    try {
      last = this.lineReader?.end();
    } catch (error) {
      return callback(error as Error);
    }
    if (last) this.track(this.sender.submit(last.number, last.byPartition));
    Promise.all([...this.unsettled]).then(
      () => callback(),
      // As in track(): the sends still in flight are answered first, so `delivered` counts every
      // record they wrote; failing at once let the caller close the client under them.
      (error: Error) => void this.sender.idle().then(() => callback(error)),
    );
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (error) this.sender.abort(error);
    callback(error);
  }

  /**
   * A DeliveryBatch's records, encoded here when the producer sends batches encoded ahead: the
   * batches after the one in flight are then encoded while the brokers answer, not when their
   * turn comes (bench/README.md: streaming).
   */
  private recordsOf(batch: DeliveryBatch): ReadBatch | EncodedDeliveryBatch {
    const byPartition = this.recordsByPartition(batch);
    return this.encoder ? this.encoder.encode(batch.number, byPartition) : { number: batch.number, byPartition };
  }

  /** A batch encoded for this sink's topic: one encoded for more partitions than it has is refused. */
  private checkLayout(batch: EncodedDeliveryBatch): EncodedDeliveryBatch {
    const wrong = batch.parts.find((part) => part.partition >= this.partitions);
    if (wrong)
      throw new Error(
        `delivery batch ${batch.number} was encoded for partition ${wrong.partition}, but the topic has ${this.partitions}: give binPack() the sink's recordBatchLayout`,
      );
    return batch;
  }

  private recordsByPartition(batch: DeliveryBatch): Map<number, OutgoingRecord[]> {
    const header = String(batch.number);
    const plain: OutgoingRecord['headers'] = [['delivery_batch', header]];
    const late: OutgoingRecord['headers'] = [
      ['delivery_batch', header],
      ['late', 'true'],
    ];
    // The batch's keys one after another in one buffer, and each record a SlicedRecord of its
    // key there and its event's stored bytes: no key Buffer and no view per event.
    // UTF-8 takes at most 3 bytes per UTF-16 unit.
    let units = 0;
    for (const event of batch.events) units += event.visitId.length;
    const keys = Buffer.allocUnsafe(3 * units);
    let at = 0;
    const byPartition = new Map<number, OutgoingRecord[]>();
    for (const event of batch.events) {
      const keyEnd = writeUtf8(keys, at, event.visitId);
      const partition = this.partitionOf(keys, at, keyEnd);
      const headers = event.late ? late : plain;
      let record: SlicedRecord;
      if (event instanceof StoredEvent) {
        record = new SlicedRecord(partition, keys, at, keyEnd, event.source, event.start, event.end, headers);
      } else {
        const value = eventBytes(event);
        record = new SlicedRecord(partition, keys, at, keyEnd, value, 0, value.length, headers);
      }
      at = keyEnd;
      const share = byPartition.get(partition);
      if (share) share.push(record);
      else byPartition.set(partition, [record]);
    }
    return byPartition;
  }
}

/** Writes the text's UTF-8 bytes at `start`; returns where they end. ASCII, as visit ids mostly are, without a call into C++. */
function writeUtf8(target: Buffer, start: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return start + target.write(text, start);
    target[start + i] = code;
  }
  return start + text.length;
}

export function kafkaSink(options: KafkaSinkOptions): KafkaSink {
  return new KafkaSink(options);
}
