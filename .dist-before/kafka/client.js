export { saslFromEnv } from './connection.js';
export async function createKafkaClient(connection, logger, client = 'platformatic') {
    if (client === 'kafkajs')
        return (await import('./kafkajs.js')).createKafkajsClient(connection, logger);
    return (await import('./platformatic.js')).createPlatformaticClient(connection, logger);
}
/** What may be logged about a connection: never the credentials. */
export function describeConnection(connection) {
    return {
        brokers: connection.brokers,
        ssl: Boolean(connection.ssl || connection.sslCa),
        sasl: connection.sasl ? { mechanism: connection.sasl.mechanism, username: connection.sasl.username } : false,
    };
}
//# sourceMappingURL=client.js.map