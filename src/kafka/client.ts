// Chooses the adapter behind the Kafka client port. Each adapter loads its library only
// when chosen, so a run with the default client never loads kafkajs.
import type { Logger } from '../logger.js';
import type { KafkaConnection } from './connection.js';
import type { ClientName, KafkaClient } from './port.js';
import { importCompilingValidatorsOnUse } from './validators-on-use.js';

export { saslFromEnv, type KafkaConnection, type SaslMechanism } from './connection.js';

export async function createKafkaClient(connection: KafkaConnection, logger: Logger, client: ClientName = 'platformatic'): Promise<KafkaClient> {
  if (client === 'kafkajs') return (await import('./kafkajs.js')).createKafkajsClient(connection, logger);
  return (await importCompilingValidatorsOnUse(() => import('./platformatic.js'))).createPlatformaticClient(connection, logger);
}

/** What may be logged about a connection: never the credentials. */
export function describeConnection(connection: KafkaConnection): Record<string, unknown> {
  return {
    brokers: connection.brokers,
    ssl: Boolean(connection.ssl || connection.sslCa),
    sasl: connection.sasl ? { mechanism: connection.sasl.mechanism, username: connection.sasl.username } : false,
  };
}
