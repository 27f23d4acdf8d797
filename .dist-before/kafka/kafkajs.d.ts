import { Kafka, type Producer } from 'kafkajs';
import type { Logger } from '../logger.js';
import { type KafkaConnection } from './connection.js';
import { type KafkaClient, type ProducerPort, type ProducerSettings } from './port.js';
export declare function createKafka(connection: KafkaConnection, logger: Logger): Kafka;
export declare function createKafkajsClient(connection: KafkaConnection, logger: Logger): KafkaClient;
/**
 * The port over a connected kafkajs Producer, such as one an embedder already has. close()
 * disconnects it. kafkajs ships gzip only: other codecs need packages this project does not load.
 */
export declare function kafkajsProducer(producer: Producer, settings: Pick<ProducerSettings, 'acks' | 'compression'>): ProducerPort;
