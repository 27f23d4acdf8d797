import type { KafkaClient, TopicConfig } from './port.js';
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

/** The topic configs KafkaClient.topicConfig reads. */
export const TOPIC_CONFIG_NAMES = ['max.message.bytes', 'cleanup.policy'];

/** A TopicConfig from DescribeConfigs' entries (values as strings); none when the brokers gave none. */
export function topicConfigOf(entries: readonly { name: string; value: string | null | undefined }[] = []): TopicConfig {
  const value = (name: string) => entries.find((entry) => entry.name === name)?.value ?? undefined;
  const bytes = Number(value('max.message.bytes') ?? Number.NaN);
  return { maxMessageBytes: Number.isSafeInteger(bytes) && bytes > 0 ? bytes : undefined, cleanupPolicy: value('cleanup.policy') || undefined };
}

/** True when the policy lets the log cleaner drop all but the last record of each key. */
export function compactsKeys(cleanupPolicy: string | undefined): boolean {
  return (cleanupPolicy ?? '').split(',').some((policy) => policy.trim() === 'compact');
}
