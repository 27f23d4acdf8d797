// The kafkajs adapter (`--client kafkajs`): the design card's client, unmaintained since
// February 2023. Streaming mode needs the default client (STREAMING_CLIENT says why).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompressionTypes, Kafka, Partitioners, type ConfigResourceTypes, type KafkaConfig, type Message, type Producer, type SASLOptions } from 'kafkajs';
import type { Logger } from '../logger.js';
import { brokerList, type KafkaConnection } from './connection.js';
import { kafkajsLevel, pinoLogCreator } from './log-creator.js';
import { TOPIC_CONFIG_NAMES, topicConfigOf } from './topic.js';
import { KafkaSendError, type Compression, type Isolation, type KafkaClient, type OutgoingRecord, type ProducerPort, type ProducerSettings } from './port.js';

export function createKafka(connection: KafkaConnection, logger: Logger): Kafka {
  const config: KafkaConfig = {
    clientId: connection.clientId ?? 'bin-packer',
    brokers: brokerList(connection),
    connectionTimeout: connection.connectionTimeout ?? 3000,
    requestTimeout: connection.requestTimeoutMs ?? 30_000,
    retry: { retries: connection.retries ?? 5, initialRetryTime: 300, maxRetryTime: 10_000 },
    logLevel: kafkajsLevel(logger.level),
    logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
  };
  if (connection.ssl || connection.sslCa) {
    config.ssl = connection.sslCa ? { ca: [readFileSync(connection.sslCa, 'utf8')] } : true;
  }
  if (connection.sasl) config.sasl = connection.sasl as SASLOptions;
  return new Kafka(config);
}

export function createKafkajsClient(connection: KafkaConnection, logger: Logger): KafkaClient {
  const kafka = createKafka(connection, logger);
  const producers = new Set<Producer>();
  return {
    async partitionCount(topic) {
      return withAdmin(kafka, async (admin) => {
        if (!(await admin.listTopics()).includes(topic)) return undefined;
        const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
        return topics[0]?.partitions.length;
      });
    },
    async createTopic(topic, partitions, config) {
      return withAdmin(kafka, async (admin) => {
        if ((await admin.listTopics()).includes(topic)) return false;
        const configEntries = Object.entries(config ?? {}).map(([name, value]) => ({ name, value }));
        return admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries }], waitForLeaders: true });
      });
    },
    async topicConfig(topic) {
      const described = await withAdmin(kafka, (admin) =>
        admin.describeConfigs({ includeSynonyms: false, resources: [{ type: TOPIC_RESOURCE, name: topic, configNames: TOPIC_CONFIG_NAMES }] }),
      ).catch(() => undefined);
      return topicConfigOf(described?.resources[0]?.configEntries.map((entry) => ({ name: entry.configName, value: entry.configValue })));
    },
    async addPartitions(topic, total) {
      await withAdmin(kafka, (admin) => admin.createPartitions({ topicPartitions: [{ topic, count: total }] }));
    },
    async producer(settings) {
      const producer = kafka.producer({
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: settings.idempotent,
        allowAutoTopicCreation: false,
        // Without idempotence every re-send is the sink's own, counted in `resent`: a retry
        // inside kafkajs could write records twice uncounted (as in the platformatic adapter).
        ...(!settings.idempotent && { retry: { retries: 0 } }),
      });
      // Made before connecting, so a codec kafkajs lacks fails without a connection.
      const port = kafkajsProducer(producer, settings, async (topic) => withAdmin(kafka, async (admin) => (await admin.listTopics()).includes(topic)));
      producers.add(producer);
      await producer.connect();
      return { send: port.send, close: () => (producers.delete(producer), port.close()) };
    },
    async readTopicToEnd(topic, onRecord, options) {
      if (options?.partitions) throw new Error('reading chosen partitions needs the default client');
      await readToEnd(kafka, topic, onRecord, options?.isolation ?? 'read_committed');
      // kafkajs drops aborted records without counting them.
      return {};
    },
    groupConsumer() {
      throw new Error(STREAMING_CLIENT);
    },
    async transactionalProducer() {
      throw new Error(STREAMING_CLIENT);
    },
    async close() {
      await Promise.allSettled([...producers].map((p) => p.disconnect()));
    },
  };
}

/**
 * The port over a connected kafkajs Producer, such as one an embedder already has. close()
 * disconnects it. kafkajs ships gzip only: other codecs need packages this project does not load.
 * With `topicExists`, a send the brokers answered with UNKNOWN_TOPIC_OR_PARTITION (after
 * kafkajs' own retries) asks whether the topic is still there: one deleted during the run
 * fails the run then, not after the delivery timeout.
 */
export function kafkajsProducer(
  producer: Producer,
  settings: Pick<ProducerSettings, 'acks' | 'compression'>,
  topicExists?: (topic: string) => Promise<boolean>,
): ProducerPort {
  const compression = kafkajsCompression(settings.compression);
  return {
    async send(topic, records) {
      const messages: Message[] = records.map(toMessage);
      try {
        await producer.sendBatch({ topicMessages: [{ topic, messages }], acks: settings.acks, compression });
      } catch (error) {
        const topicUnknown = errorChain(error).some((e) => e.type === 'UNKNOWN_TOPIC_OR_PARTITION');
        if (topicUnknown && topicExists && !(await topicExists(topic).catch(() => true))) throw KafkaSendError.topicGone(topic, error);
        const type = (error as { type?: unknown }).type;
        throw new KafkaSendError(typeof type === 'string' ? `${type}: ${(error as Error).message}` : (error as Error).message, isRetriable(error), { cause: error });
      }
    },
    close: () => producer.disconnect(),
  };
}

function kafkajsCompression(compression: Compression): CompressionTypes {
  if (compression === 'none') return CompressionTypes.None;
  if (compression === 'gzip') return CompressionTypes.GZIP;
  throw new Error(`--compression ${compression} is not available with --client kafkajs (it ships gzip only); use the default client, or none or gzip`);
}

function toMessage(record: OutgoingRecord): Message {
  const headers: Record<string, string> = {};
  for (const [name, value] of record.headers) headers[name] = value;
  return { partition: record.partition, key: record.key, value: record.value, headers };
}

/**
 * Not retriable only when the broker said so: a protocol error (it has a `type`, such as
 * MESSAGE_TOO_LARGE) marked non-retriable. kafkajs' wrappers (retries exceeded, a connection
 * closed during a restart) say `retriable: false` of themselves, not of the records.
 */
function isRetriable(error: unknown): boolean {
  return !errorChain(error).some((e) => typeof e.type === 'string' && e.retriable === false);
}

/** kafkajs' errors: `type` is the broker's error (such as UNKNOWN_TOPIC_OR_PARTITION), `originalError` what a wrapper wraps. */
type KafkajsError = { retriable?: boolean; type?: unknown; originalError?: unknown; cause?: unknown };

function errorChain(error: unknown): KafkajsError[] {
  const chain: KafkajsError[] = [];
  for (let e = error as KafkajsError | undefined; e && !chain.includes(e); e = (e.originalError ?? e.cause) as KafkajsError | undefined) chain.push(e);
  return chain;
}

async function withAdmin<T>(kafka: Kafka, work: (admin: ReturnType<Kafka['admin']>) => Promise<T>): Promise<T> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** ConfigResourceTypes.TOPIC: kafkajs' CommonJS module does not give that enum to an ES import by name. */
const TOPIC_RESOURCE = 2 as ConfigResourceTypes;

const STREAMING_CLIENT = 'streaming mode runs on the default client (@platformatic/kafka): kafkajs speaks TxnOffsetCommit v0-v1 only, without group fencing';

/** Reads with a throwaway consumer group, deleted afterwards. */
async function readToEnd(kafka: Kafka, topic: string, onRecord: Parameters<KafkaClient['readTopicToEnd']>[1], isolation: Isolation): Promise<void> {
  await withAdmin(kafka, async (admin) => {
    const groupId = `bin-packer-verify-${randomUUID()}`;
    const offsets = await admin.fetchTopicOffsets(topic);
    const remaining = new Map<number, bigint>();
    for (const { partition, high, low } of offsets) if (BigInt(high) > BigInt(low)) remaining.set(partition, BigInt(high));
    if (remaining.size === 0) return;
    const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytes: 16 * 1024 * 1024, readUncommitted: isolation === 'read_uncommitted' });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await new Promise<void>((resolve, reject) => {
        consumer
          .run({
            autoCommit: false,
            eachBatch: async ({ batch }) => {
              const end = remaining.get(batch.partition);
              if (end === undefined) return;
              for (const message of batch.messages) {
                if (BigInt(message.offset) >= end) break;
                const headers = new Map<string, string>();
                for (const [name, value] of Object.entries(message.headers ?? {})) {
                  const last = Array.isArray(value) ? value.at(-1) : value;
                  if (last !== undefined) headers.set(name, last.toString());
                }
                onRecord({ partition: batch.partition, offset: message.offset, key: message.key, value: message.value ?? Buffer.alloc(0), headers });
              }
              if (BigInt(batch.lastOffset()) + 1n >= end) {
                remaining.delete(batch.partition);
                if (remaining.size === 0) resolve();
              }
            },
          })
          .catch(reject);
      });
    } finally {
      await consumer.disconnect();
    }
    await admin.deleteGroups([groupId]).catch(() => undefined);
  });
}
