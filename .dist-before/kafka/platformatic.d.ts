import type { Logger } from '../logger.js';
import type { KafkaConnection } from './connection.js';
import { type KafkaClient } from './port.js';
export declare function createPlatformaticClient(connection: KafkaConnection, logger: Logger): KafkaClient;
