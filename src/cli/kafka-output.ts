import type { Kafka, Producer } from 'kafkajs';
import { createKafka, describeConnection } from '../kafka/client.js';
import { logger } from '../logger.js';
import { connectBatchProducer, topicPartitionCount } from '../sinks/kafka-producer.js';
import type { KafkaSinkOptions } from '../sinks/kafka-sink.js';
import type { KafkaSinkSettings } from './pipe-args.js';

/**
 * The Kafka client and a connected producer for the output topic, or undefined after
 * logging why not (unreachable brokers, missing topic): the CLI then exits 1.
 */
export async function openKafkaOutput(settings: KafkaSinkSettings): Promise<{ kafka: Kafka; producer: Producer; partitions: number | undefined } | undefined> {
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
    const partitions = settings.barrier === 'partition' ? await topicPartitionCount(kafka, topic) : undefined;
    return { kafka, producer, partitions };
  } catch (error) {
    logger.error((error as Error).message);
    return undefined;
  }
}

/** The sink options the settings choose (everything but the producer and topic). */
export function sinkOptions(settings: KafkaSinkSettings, partitions: number | undefined): Pick<KafkaSinkOptions, 'acks' | 'compression' | 'maxRequestBytes' | 'barrier' | 'partitions'> {
  return { acks: settings.acks, compression: settings.compression, maxRequestBytes: settings.maxRequestBytes, barrier: settings.barrier, ...(partitions !== undefined && { partitions }) };
}
