import type { KafkaClient, ProducerPort } from '../kafka/port.js';
import type { KafkaSinkOptions } from '../sinks/kafka-sink.js';
import type { KafkaSinkSettings } from './pipe-args.js';
/**
 * The Kafka client and a connected producer for the output topic, or undefined after
 * logging why not (unreachable brokers, missing topic): the CLI then exits 1.
 */
export declare function openKafkaOutput(settings: KafkaSinkSettings): Promise<{
    client: KafkaClient;
    producer: ProducerPort;
    partitions: number;
} | undefined>;
/** The sink options the settings choose (everything but the producer and topic). */
export declare function sinkOptions(settings: KafkaSinkSettings, partitions: number): Pick<KafkaSinkOptions, 'maxRequestBytes' | 'barrier' | 'partitions' | 'deliveryTimeoutMs'>;
