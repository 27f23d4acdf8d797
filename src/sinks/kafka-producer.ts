import { Partitioners, type Kafka, type Producer } from 'kafkajs';

export interface ConnectProducerOptions {
  topic: string;
  /** kafkajs' idempotent producer: its retries add no duplicates. */
  idempotent?: boolean;
  /** Create the topic with this many partitions when it is missing; otherwise a missing topic is an error. */
  createPartitions?: number;
  /** Give up connecting after this long (default 30 s). */
  connectTimeoutMs?: number;
  /** For error messages. */
  brokers: string;
}

export class KafkaUnavailableError extends Error {
  override name = 'KafkaUnavailableError';
}

/**
 * Checks the topic and connects a producer for the Kafka sink, failing with a clear message
 * within a bounded time when the brokers cannot be reached or the topic does not exist.
 * The partitioner is Kafka's Java default (murmur2 of the key), so a visit lands on the
 * partition a Java producer would choose.
 */
export async function connectBatchProducer(kafka: Kafka, options: ConnectProducerOptions): Promise<Producer> {
  const timeoutMs = options.connectTimeoutMs ?? 30_000;
  const admin = kafka.admin();
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    idempotent: options.idempotent ?? false,
    allowAutoTopicCreation: false,
  });
  try {
    await withTimeout(
      (async () => {
        await admin.connect();
        const topics = await admin.listTopics();
        if (!topics.includes(options.topic)) {
          if (options.createPartitions === undefined) {
            throw new KafkaUnavailableError(`topic "${options.topic}" does not exist on ${options.brokers}; create it, or pass --create-topic --partitions N`);
          }
          await admin.createTopics({ topics: [{ topic: options.topic, numPartitions: options.createPartitions }], waitForLeaders: true });
        }
        await producer.connect();
      })(),
      timeoutMs,
      () => new KafkaUnavailableError(`cannot reach Kafka at ${options.brokers} within ${Math.round(timeoutMs / 1000)} s`),
    );
  } catch (error) {
    await producer.disconnect().catch(() => undefined);
    if (error instanceof KafkaUnavailableError) throw error;
    throw new KafkaUnavailableError(`cannot use Kafka at ${options.brokers}: ${(error as Error).message}`);
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
  return producer;
}

async function withTimeout<T>(work: Promise<T>, ms: number, timeoutError: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timeoutError()), ms);
  });
  work.catch(() => undefined); // a late failure after the timeout is not unhandled
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The topic's partition count, for the sink's per-partition barrier. */
export async function topicPartitionCount(kafka: Kafka, topic: string): Promise<number> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
    return topics[0]?.partitions.length ?? 0;
  } finally {
    await admin.disconnect();
  }
}
