import { createKafkaClient, describeConnection } from '../kafka/client.js';
import { openOutput } from '../kafka/open-output.js';
import { logger } from './logger.js';
/**
 * The Kafka client and a connected producer for the output topic, or undefined after
 * logging why not (unreachable brokers, missing topic): the CLI then exits 1.
 */
export async function openKafkaOutput(settings) {
    const { connection, topic } = settings;
    logger.info({ ...describeConnection(connection), topic, client: settings.client }, 'connecting to Kafka');
    const client = await createKafkaClient(connection, logger, settings.client);
    try {
        const { producer, partitions } = await openOutput(client, {
            topic,
            brokers: connection.brokers,
            connectTimeoutMs: settings.connectTimeoutMs,
            producer: { acks: settings.acks, idempotent: settings.idempotent, compression: settings.compression },
            ...(settings.createPartitions !== undefined && { createPartitions: settings.createPartitions }),
        });
        return { client, producer, partitions };
    }
    catch (error) {
        logger.error(error.message);
        return undefined;
    }
}
/** The sink options the settings choose (everything but the producer and topic). */
export function sinkOptions(settings, partitions) {
    return { maxRequestBytes: settings.maxRequestBytes, barrier: settings.barrier, partitions, deliveryTimeoutMs: settings.deliveryTimeoutMs };
}
//# sourceMappingURL=kafka-output.js.map