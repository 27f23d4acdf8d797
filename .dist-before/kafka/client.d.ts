import type { Logger } from '../logger.js';
import type { KafkaConnection } from './connection.js';
import type { ClientName, KafkaClient } from './port.js';
export { saslFromEnv, type KafkaConnection, type SaslMechanism } from './connection.js';
export declare function createKafkaClient(connection: KafkaConnection, logger: Logger, client?: ClientName): Promise<KafkaClient>;
/** What may be logged about a connection: never the credentials. */
export declare function describeConnection(connection: KafkaConnection): Record<string, unknown>;
