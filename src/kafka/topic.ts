import type { KafkaClient } from './port.js';
import { UserFacingError } from '../user-facing-error.js';

/** A topic that is not as the command needs it. */
export class TopicError extends UserFacingError {
  override name = 'TopicError';
}

export class TopicMissingError extends TopicError {
  override name = 'TopicMissingError';
}

/** What a missing topic's error adds when the command can create it. */
export const CREATE_TOPIC_HINT = 'create it, or pass --create-topic --partitions N';

/**
 * The topic's partition count. A missing topic is created when `createPartitions` is given,
 * and is otherwise an error, with `hint` on how to create it.
 */
export async function requireTopic(
  client: KafkaClient,
  topic: string,
  options: { brokers: string; createPartitions?: number | undefined; hint?: string },
): Promise<{ partitions: number; created: boolean }> {
  const existing = await client.partitionCount(topic);
  if (existing !== undefined) return { partitions: existing, created: false };
  if (options.createPartitions === undefined) {
    throw new TopicMissingError(`topic "${topic}" does not exist on ${options.brokers}${options.hint ? `; ${options.hint}` : ''}`);
  }
  const created = await client.createTopic(topic, options.createPartitions);
  return { partitions: (await client.partitionCount(topic)) ?? options.createPartitions, created };
}

/** The topic config that bounds a record batch's size. */
export const MAX_MESSAGE_BYTES_CONFIG = 'max.message.bytes';

/** A max.message.bytes value as DescribeConfigs gives it (a decimal string), or undefined when it is none. */
export function maxMessageBytesOf(value: string | null | undefined): number | undefined {
  const bytes = value ? Number(value) : Number.NaN;
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined;
}
