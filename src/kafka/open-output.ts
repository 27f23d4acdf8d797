import type { KafkaClient, ProducerPort, ProducerSettings } from './port.js';
import { CREATE_TOPIC_HINT, requireTopic, TopicMissingError } from './topic.js';

export interface OpenOutputOptions {
  topic: string;
  /** Create the topic with this many partitions when it is missing; otherwise a missing topic is an error. */
  createPartitions?: number;
  /** Give up after this long (default 30 s). */
  connectTimeoutMs?: number;
  /** For error messages. */
  brokers: string;
  producer: ProducerSettings;
}

export class KafkaUnavailableError extends Error {
  override name = 'KafkaUnavailableError';
}

/**
 * Checks (or creates) the output topic, reads its partition count and connects a producer,
 * failing with a clear message within connectTimeoutMs when the brokers cannot be reached,
 * never answer, or the topic does not exist.
 */
export async function openOutput(client: KafkaClient, options: OpenOutputOptions): Promise<{ producer: ProducerPort; partitions: number }> {
  const timeoutMs = options.connectTimeoutMs ?? 30_000;
  const work = (async (): Promise<{ producer: ProducerPort; partitions: number }> => {
    const { partitions } = await requireTopic(client, options.topic, { brokers: options.brokers, createPartitions: options.createPartitions, hint: CREATE_TOPIC_HINT });
    return { producer: await client.producer(options.producer), partitions };
  })();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new KafkaUnavailableError(`cannot reach Kafka at ${options.brokers} within ${formatSeconds(timeoutMs)}`)), timeoutMs);
  });
  work.catch(() => undefined); // a late failure after the timeout is not unhandled
  try {
    return await Promise.race([work, timeout]);
  } catch (error) {
    // Close what the client opened, but give up on a close that waits on a silent broker itself.
    await Promise.race([client.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
    if (error instanceof KafkaUnavailableError) throw error;
    if (error instanceof TopicMissingError) throw new KafkaUnavailableError(error.message);
    throw new KafkaUnavailableError(`cannot use Kafka at ${options.brokers}: ${describeFailure(error)}`, { cause: error });
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
