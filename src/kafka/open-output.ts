import type { KafkaClient, ProducerPort, ProducerSettings } from './port.js';
import { UserFacingError } from '../user-facing-error.js';
import { CREATE_TOPIC_HINT, requireTopic, TopicMissingError } from './topic.js';

export interface OpenOutputOptions {
  topic: string;
  /** Create the topic with this many partitions when it is missing; otherwise a missing topic is an error. */
  createPartitions?: number;
  /** Give up after this long (default DEFAULT_CONNECT_TIMEOUT_MS). */
  connectTimeoutMs?: number;
  /** For error messages. */
  brokers: string;
  producer: ProducerSettings;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 30_000;

/** The brokers cannot be used as the command needs (unreachable, silent, refusing, a topic missing). */
export class KafkaUnavailableError extends UserFacingError {
  override name = 'KafkaUnavailableError';
}

/** An output topic ready to be written: KafkaSink's producer, partitions and maxMessageBytes. */
export interface OpenedOutput {
  producer: ProducerPort;
  partitions: number;
  /** The topic's max.message.bytes; undefined when the brokers would not say. */
  maxMessageBytes: number | undefined;
  /** The topic's cleanup.policy; undefined when the brokers would not say. */
  cleanupPolicy: string | undefined;
}

/**
 * Checks (or creates) the output topic, reads its partition count and configs and
 * connects a producer, failing with a clear message within connectTimeoutMs when the brokers
 * cannot be reached, never answer, or the topic does not exist.
 */
export async function openOutput(client: KafkaClient, options: OpenOutputOptions): Promise<OpenedOutput> {
  const work = async () => {
    const { partitions } = await requireTopic(client, options.topic, { brokers: options.brokers, createPartitions: options.createPartitions, hint: CREATE_TOPIC_HINT });
    // Without DescribeConfigs on the topic, parts stay at their default size, under the broker default.
    const [producer, config] = await Promise.all([client.producer(options.producer), client.topicConfig(options.topic)]);
    return { producer, partitions, ...config };
  };
  return reachKafka(client, options.brokers, work, options.connectTimeoutMs);
}

/**
 * A command's first work with the brokers, such as checking its topic: its failure, or no
 * answer within timeoutMs, becomes a KafkaUnavailableError that says why in one line (a missing
 * topic's error keeps its own words), and the client is closed.
 */
export async function reachKafka<T>(client: KafkaClient, brokers: string, work: () => Promise<T>, timeoutMs = DEFAULT_CONNECT_TIMEOUT_MS): Promise<T> {
  const working = work();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaUnavailableError(`cannot reach Kafka at ${brokers} within ${formatSeconds(timeoutMs)}`)), timeoutMs);
  });
  working.catch(() => undefined); // a late failure after the timeout is not unhandled
  try {
    return await Promise.race([working, timeout]);
  } catch (error) {
    // Close what the client opened, but give up on a close that waits on a silent broker itself.
    await Promise.race([client.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    if (error instanceof KafkaUnavailableError) throw error;
    if (error instanceof TopicMissingError) throw new KafkaUnavailableError(error.message);
    throw new KafkaUnavailableError(`cannot use Kafka at ${brokers}: ${describeFailure(error)}`, { cause: error });
  } finally {
    clearTimeout(timer);
  }
}

function formatSeconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * A client error's message with the first underlying reason it wraps: "Listing topics failed."
 * alone does not tell a refused connection from a bad credential.
 */
function describeFailure(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  let reason: unknown = error;
  for (let depth = 0; depth < 8; depth++) {
    const inner = (reason as { errors?: unknown[]; cause?: unknown } | undefined)?.errors?.[0] ?? (reason as { cause?: unknown } | undefined)?.cause;
    if (inner === undefined || inner === null) break;
    reason = inner;
  }
  const detail = reason instanceof Error ? reason.message : undefined;
  return detail && detail !== message ? `${message.replace(/\.$/, '')}: ${detail}` : message;
}
