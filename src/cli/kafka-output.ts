import { createKafkaClient, describeConnection } from '../kafka/client.js';
import { openOutput, type OpenedOutput } from '../kafka/open-output.js';
import { compactsKeys } from '../kafka/topic.js';
import type { KafkaClient } from '../kafka/port.js';
import { logger } from './logger.js';
import type { KafkaSinkOptions } from '../sinks/kafka-sink.js';
import type { KafkaSinkSettings } from './pipe-args.js';

/**
 * The Kafka client and a connected producer for the output topic, or undefined after
 * logging why not (unreachable brokers, missing topic): the CLI then exits 1.
 */
export async function openKafkaOutput(settings: KafkaSinkSettings): Promise<(OpenedOutput & { client: KafkaClient }) | undefined> {
  const { connection, topic } = settings;
  logger.info({ ...describeConnection(connection), topic, client: settings.client }, 'connecting to Kafka');
  const client = await createKafkaClient(connection, logger, settings.client);
  try {
    const output = await openOutput(client, {
      topic,
      brokers: connection.brokers,
      connectTimeoutMs: settings.connectTimeoutMs,
      producer: { acks: settings.acks, idempotent: settings.idempotent, compression: settings.compression },
      ...(settings.createPartitions !== undefined && { createPartitions: settings.createPartitions }),
    });
    if (compactsKeys(output.cleanupPolicy)) {
      // Every record of a visit has its visit_id as key: the log cleaner would keep one per visit.
      logger.warn(
        { topic, cleanupPolicy: output.cleanupPolicy },
        `topic "${topic}" is compacted (cleanup.policy=${output.cleanupPolicy}): Kafka keeps only the last record of each key, and each visit's events share its visit_id as key, so the log cleaner will remove all but the last event of every visit; deliver to a topic with cleanup.policy=delete`,
      );
    }
    return { client, ...output };
  } catch (error) {
    logger.error((error as Error).message);
    return undefined;
  }
}

/** The sink options the settings choose (everything but the producer and topic). */
export function sinkOptions(
  settings: KafkaSinkSettings,
  { partitions, maxMessageBytes }: Pick<OpenedOutput, 'partitions' | 'maxMessageBytes'>,
): Pick<KafkaSinkOptions, 'maxRequestBytes' | 'barrier' | 'partitions' | 'maxMessageBytes' | 'deliveryTimeoutMs'> {
  return { maxRequestBytes: settings.maxRequestBytes, barrier: settings.barrier, partitions, maxMessageBytes, deliveryTimeoutMs: settings.deliveryTimeoutMs };
}
