// The default adapter: @platformatic/kafka. Its defaults differ from Kafka's Java client in
// ways that matter here, so every one of them is set explicitly: acks (leader-only unless
// set), the request timeout (5 s) and retry delay (1 s), and the partition, which the caller
// always gives (its default partitioner is not Java's murmur2). Header keys are Buffers.
import { Admin, ConfigResourceTypes, Consumer, FetchIsolationLevels, findErrorBy, Producer } from '@platformatic/kafka';
import type { Logger } from '../logger.js';
import type { KafkaConnection } from './connection.js';
import { baseOptions, type BaseOptions } from './platformatic-options.js';
import { toSendError, topicUnknown } from './platformatic-errors.js';
import { ProducerSequences, RecordShare, useFastProduce } from './platformatic-produce.js';
import { readBatchesFast } from './platformatic-fetch.js';
import { TOPIC_CONFIG_NAMES, topicConfigOf } from './topic.js';
import { fetchPartitions, PlatformaticGroupConsumer, PlatformaticTransaction } from './platformatic-group.js';
import {
  type ConsumedRecord,
  type EncodedRecordBatch,
  type KafkaClient,
  type OutgoingRecord,
  type ProducerPort,
  type ReadOptions,
  type ReadSummary,
  TransactionRefusedError,
  type TransactionalProducerPort,
  type TransactionalSettings,
} from './port.js';

type BufferProducer = Producer<Buffer, Buffer, Buffer, Buffer>;

export function createPlatformaticClient(connection: KafkaConnection, logger: Logger): KafkaClient {
  const base = baseOptions(connection);
  let admin: Admin | undefined;
  const adminClient = () => (admin ??= new Admin({ ...base, clientId: `${base.clientId}-admin` }));
  const producers = new Set<BufferProducer>();

  return {
    async partitionCount(topic) {
      const topics = await adminClient().listTopics();
      if (!topics.includes(topic)) return undefined;
      const metadata = await adminClient().metadata({ topics: [topic], forceUpdate: true });
      return metadata.topics.get(topic)?.partitionsCount;
    },
    async topicConfig(topic) {
      const described = await adminClient()
        .describeConfigs({ resources: [{ resourceType: ConfigResourceTypes.TOPIC, resourceName: topic, configurationKeys: TOPIC_CONFIG_NAMES }] })
        .catch(() => []);
      return topicConfigOf(described[0]?.configs);
    },
    async addPartitions(topic, total) {
      await adminClient().createPartitions({ topics: [{ name: topic, count: total }] });
    },
    async createTopic(topic, partitions, config) {
      if ((await adminClient().listTopics()).includes(topic)) return false;
      const configs = Object.entries(config ?? {}).map(([name, value]) => ({ name, value }));
      try {
        await adminClient().createTopics({ topics: [topic], partitions, replicas: -1, ...(configs.length > 0 && { configs }) });
      } catch (error) {
        // Another process created it meanwhile (two streaming instances starting together).
        if (findErrorBy(error as Error, 'apiId', 'TOPIC_ALREADY_EXISTS')) return false;
        throw error;
      }
      await waitForPartitionsServed(base, topic, partitions);
      return true;
    },
    async producer(settings) {
      const producer: BufferProducer = new Producer({
        ...base,
        acks: settings.acks,
        idempotent: settings.idempotent,
        compression: settings.compression,
        // A retry inside the client keeps the records' sequence numbers, so an idempotent
        // producer's retries cannot duplicate: it retries for a minute or more, as Java's
        // delivery.timeout.ms does. Without idempotence every re-send is the sink's own, so
        // that each possible duplicate is counted in `resent`.
        retries: settings.idempotent ? IDEMPOTENT_RETRIES : 0,
        retryDelay: settings.idempotent ? idempotentRetryDelay : base.retryDelay,
        autocreateTopics: false,
      });
      useFastProduce(producer);
      producers.add(producer);
      try {
        if (settings.idempotent) await producer.initIdempotentProducer({});
        else await producer.metadata({ topics: [] });
      } catch (error) {
        producers.delete(producer);
        await producer.close(true).catch(() => undefined);
        throw error;
      }
      return new PlatformaticProducer(producer, () => producers.delete(producer));
    },
    async readTopicToEnd(topic, onRecord, options) {
      return readToEnd(base, topic, onRecord, options ?? {});
    },
    groupConsumer(settings) {
      return new PlatformaticGroupConsumer(base, settings, logger);
    },
    async transactionalProducer(settings) {
      const producer = transactionalProducer(base, settings);
      producers.add(producer);
      return new PlatformaticTransactionalProducer(producer, settings, () => producers.delete(producer));
    },
    async close() {
      await Promise.allSettled([...producers].map((p) => p.close(true)));
      await admin?.close().catch(() => undefined);
    },
  };
}

/** Attempts of one idempotent produce request inside the client before the sink sees the error. */
const IDEMPOTENT_RETRIES = 20;

/**
 * 100 ms, doubling up to 5 s: at least 76 s of retrying before the sink sees the error. A topic
 * the brokers do not know is checked every 250 ms instead: the sink makes sure of its topic
 * before it sends, so one that stays unknown for the 5 s of retries was deleted meanwhile.
 */
function idempotentRetryDelay(_client: unknown, _operation: string, attempt: number, _retries?: number, error?: Error): number {
  if (error && topicUnknown(error)) return UNKNOWN_TOPIC_RETRY_DELAY_MS;
  return Math.min(5000, 100 * 2 ** Math.min(attempt, 6));
}

const UNKNOWN_TOPIC_RETRY_DELAY_MS = 250;

class PlatformaticProducer implements ProducerPort {
  constructor(
    private readonly producer: BufferProducer,
    private readonly onClose: () => void,
  ) {}

  send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    return this.messages.send((options) => this.producer.send(options), topic, records);
  }

  sendEncoded(topic: string, batches: readonly EncodedRecordBatch[]): Promise<void> {
    return this.messages.sendEncoded((options) => this.producer.send(options), topic, batches);
  }

  async close(): Promise<void> {
    this.onClose();
    await this.producer.close(true);
  }

  private readonly messages = new MessageBuilder();
}

type SendCall = (options: { messages: Message[] }) => Promise<unknown>;

/** What the client is handed: one message per partition, its value the partition's RecordShare (platformatic-produce.ts). */
interface Message {
  topic: string;
  partition: number;
  value: Buffer;
}

/** Turns port records into the client's messages, a share per partition, and its errors into KafkaSendErrors. */
class MessageBuilder {
  /** The producer's sequence numbers: one MessageBuilder per producer. */
  private readonly sequences = new ProducerSequences();

  async send(call: SendCall, topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    // The port's records are the encoder's as they stand (BatchRecord): no object per record here.
    const byPartition = new Map<number, OutgoingRecord[]>();
    for (const record of records) {
      const share = byPartition.get(record.partition);
      if (share) share.push(record);
      else byPartition.set(record.partition, [record]);
    }
    const timestamp = BigInt(Date.now());
    const messages: Message[] = [];
    for (const [partition, shareRecords] of byPartition) {
      // The client passes values through as they are (no serializer is set).
      messages.push({ topic, partition, value: new RecordShare(shareRecords, this.sequences, timestamp) as unknown as Buffer });
    }
    await this.call(call, topic, messages);
  }

  async sendEncoded(call: SendCall, topic: string, batches: readonly EncodedRecordBatch[]): Promise<void> {
    const timestamp = BigInt(Date.now());
    const messages: Message[] = batches.map((batch) => ({ topic, partition: batch.partition, value: new RecordShare(batch, this.sequences, timestamp) as unknown as Buffer }));
    await this.call(call, topic, messages);
  }

  private async call(call: SendCall, topic: string, messages: Message[]): Promise<void> {
    try {
      await call({ messages });
    } catch (error) {
      throw toSendError(error, topic);
    }
  }
}

/** A transaction the brokers will never let begin, as a TransactionRefusedError saying what to change. */
function refusedTransaction(error: unknown, settings: TransactionalSettings): TransactionRefusedError | undefined {
  if (findErrorBy(error as Error, 'apiId', 'INVALID_TRANSACTION_TIMEOUT')) {
    return new TransactionRefusedError(
      `the brokers refuse a transaction timeout of ${settings.transactionTimeoutMs / 1000} s (INVALID_TRANSACTION_TIMEOUT: above their transaction.max.timeout.ms, 15 min unless set): give a lower --transaction-timeout`,
      { cause: error },
    );
  }
  if (findErrorBy(error as Error, 'apiId', 'TRANSACTIONAL_ID_AUTHORIZATION_FAILED')) {
    return new TransactionRefusedError(
      `the brokers do not let this principal use the transactional id "${settings.transactionalId}" (TRANSACTIONAL_ID_AUTHORIZATION_FAILED): grant it Write on transactional ids starting "bin-packer-", or run --guarantee at-least-once`,
      { cause: error },
    );
  }
  return undefined;
}

/**
 * A producer with a transactional id. Two of the client's defaults are wrong for it: the
 * transaction timeout is its request `timeout`, and re-creating a producer with an id in use
 * sends InitProducerId with producer id 0 / epoch 0, which the broker fences; -1 / -1 asks
 * for the id's current producer (test/kafka/transactions.int.test.ts pins both).
 */
function transactionalProducer(base: BaseOptions, settings: TransactionalSettings): BufferProducer {
  const producer: BufferProducer = new Producer({
    ...base,
    timeout: settings.transactionTimeoutMs,
    acks: -1,
    idempotent: true,
    transactionalId: settings.transactionalId,
    producerId: -1n,
    producerEpoch: -1,
    compression: settings.compression,
    retries: IDEMPOTENT_RETRIES,
    // CONCURRENT_TRANSACTIONS answers the next transaction's first request while the broker
    // still writes the last one's markers: the client's 1 s retry delay made transactions 7-25x slower.
    retryDelay: (client: unknown, operation: string, attempt: number, retries: number, error: Error) =>
      findErrorBy(error, 'apiId', 'CONCURRENT_TRANSACTIONS') ? Math.min(1000, 20 * 2 ** Math.max(0, attempt - 5)) : idempotentRetryDelay(client, operation, attempt, retries, error),
    autocreateTopics: false,
  });
  useFastProduce(producer);
  return producer;
}

class PlatformaticTransactionalProducer implements TransactionalProducerPort {
  private readonly messages = new MessageBuilder();

  constructor(
    private readonly producer: BufferProducer,
    private readonly settings: TransactionalSettings,
    private readonly onClose: () => void,
  ) {}

  async begin(): Promise<PlatformaticTransaction> {
    let transaction: Awaited<ReturnType<BufferProducer['beginTransaction']>>;
    try {
      transaction = await this.producer.beginTransaction();
    } catch (error) {
      throw refusedTransaction(error, this.settings) ?? error;
    }
    return new PlatformaticTransaction(this.producer, transaction, this.messages);
  }

  async close(): Promise<void> {
    this.onClose();
    await this.producer.close(true);
  }
}

/**
 * Waits until every partition of a topic just created answers ListOffsets. Leaders show in the
 * metadata a moment before the broker serves them (NOT_LEADER_OR_FOLLOWER meanwhile), and a
 * client's first read or write there would wait out its 100 ms retry delay. The probe has no
 * retries of its own: it looks again after 5 ms, then less often.
 */
async function waitForPartitionsServed(base: BaseOptions, topic: string, partitions: number): Promise<void> {
  const probe = new Admin({ ...base, clientId: `${base.clientId}-admin`, retries: 0 });
  const request = { topics: [{ name: topic, partitions: Array.from({ length: partitions }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n })) }] };
  const deadline = Date.now() + SERVED_TIMEOUT_MS;
  try {
    for (let pause = 5; ; pause = Math.min(50, pause * 2)) {
      const served = await probe.listOffsets(request).then(
        (listed) => listed[0]?.partitions.length === partitions,
        () => false,
      );
      if (served) return;
      if (Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  } finally {
    await probe.close().catch(() => undefined);
  }
  throw new Error(`topic "${topic}" was created but its ${partitions} partitions were not served after ${SERVED_TIMEOUT_MS / 1000} s`);
}

const SERVED_TIMEOUT_MS = 5000;

async function readToEnd(base: BaseOptions, topic: string, onRecord: (record: ConsumedRecord) => void, options: ReadOptions): Promise<ReadSummary> {
  const isolation = options.isolation ?? 'read_committed';
  const consumer = readBatchesFast(new Consumer<Buffer, Buffer, Buffer, Buffer>({ ...base, groupId: `bin-packer-verify-${process.pid}-${Date.now()}`, autocommit: false }));
  let abortedRecords = 0;
  try {
    const isolationLevel = isolation === 'read_committed' ? FetchIsolationLevels.READ_COMMITTED : FetchIsolationLevels.READ_UNCOMMITTED;
    // The end is the last stable offset under read_committed: records of open transactions are not read.
    const ends = (await consumer.listOffsets({ topics: [topic], isolationLevel })).get(topic) ?? [];
    const starts = (await consumer.listOffsets({ topics: [topic], timestamp: -2n })).get(topic) ?? [];
    const positions = new Map<number, bigint>();
    const only = options.partitions && new Set(options.partitions);
    ends.forEach((end, partition) => {
      if (only && !only.has(partition)) return;
      if (end > (starts[partition] ?? 0n)) positions.set(partition, starts[partition] ?? 0n);
    });
    while (positions.size > 0) {
      const fetched = await fetchPartitions(consumer, topic, positions, 500, isolation);
      abortedRecords += fetched.abortedRecords;
      for (const { partition, records, nextOffset, outOfRange } of fetched.partitions) {
        if (outOfRange) {
          throw new Error(`partition ${partition} of topic "${topic}" lost records while it was read: offset ${nextOffset} is no longer in it (retention, or records deleted)`);
        }
        const end = ends[partition]!;
        for (const record of records) {
          if (record.offset >= end) break;
          const headers = new Map<string, string>();
          for (const [key, value] of record.headers) if (key) headers.set(key.toString('utf8'), value?.toString('utf8') ?? '');
          onRecord({ partition, offset: String(record.offset), key: record.key, value: record.value ?? Buffer.alloc(0), headers });
        }
        if (nextOffset >= end) positions.delete(partition);
        else positions.set(partition, nextOffset);
      }
    }
    return { abortedRecords };
  } finally {
    await consumer.close(true).catch(() => undefined);
  }
}
