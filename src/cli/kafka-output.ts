import type { Kafka, Producer } from 'kafkajs';
import { createKafka, describeConnection } from '../kafka/client.js';
import { logger } from '../logger.js';
import { connectBatchProducer } from '../sinks/kafka-producer.js';
import type { KafkaSinkOptions } from '../sinks/kafka-sink.js';
import type { KafkaSinkSettings } from './pipe.js';

/**
 * The Kafka client and a connected producer for the output topic, or undefined after
 * logging why not (unreachable brokers, missing topic): the CLI then exits 1.
 */
export async function openKafkaOutput(settings: KafkaSinkSettings): Promise<{ kafka: Kafka; producer: Producer } | undefined> {
  const { connection, topic } = settings;
  logger.info({ ...describeConnection(connection), topic }, 'connecting to Kafka');
  const kafka = createKafka(connection, logger);
  try {
    const producer = await connectBatchProducer(kafka, {
      topic,
      brokers: connection.brokers,
      idempotent: settings.idempotent,
      connectTimeoutMs: settings.connectTimeoutMs,
      ...(settings.createPartitions !== undefined && { createPartitions: settings.createPartitions }),
    });
    return { kafka, producer };
  } catch (error) {
    logger.error((error as Error).message);
    return undefined;
  }
}

/** The sink options the settings choose (everything but the producer and topic). */
export function sinkOptions(settings: KafkaSinkSettings): Pick<KafkaSinkOptions, 'acks' | 'compression' | 'maxRequestBytes'> {
  return { acks: settings.acks, compression: settings.compression, maxRequestBytes: settings.maxRequestBytes };
}
