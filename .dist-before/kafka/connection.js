// Connection settings and their parsing, apart from any client library: the CLI reads them
// before it decides to load one (see src/pipe.ts).
/** The bootstrap brokers as a list; throws when there is none. */
export function brokerList(connection) {
    const brokers = connection.brokers.split(',').map((b) => b.trim()).filter(Boolean);
    if (brokers.length === 0)
        throw new Error('no Kafka brokers given');
    return brokers;
}
/** SASL settings from the environment: KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD. */
export function saslFromEnv(env = process.env) {
    const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
    if (!mechanism)
        return undefined;
    if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
        throw new Error(`KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512, got "${mechanism}"`);
    }
    const username = env.KAFKA_SASL_USERNAME;
    const password = env.KAFKA_SASL_PASSWORD;
    if (!username || password === undefined)
        throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
    return { mechanism, username, password };
}
//# sourceMappingURL=connection.js.map