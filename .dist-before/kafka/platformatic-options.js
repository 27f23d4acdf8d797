// The connection options every @platformatic/kafka client of this adapter starts from.
import { readFileSync } from 'node:fs';
import { brokerList } from './connection.js';
export function baseOptions(connection) {
    const options = {
        clientId: connection.clientId ?? 'bin-packer',
        bootstrapBrokers: brokerList(connection),
        connectTimeout: connection.connectionTimeout ?? 3000,
        // Kafka's request.timeout.ms, for both of the client's timeouts: `requestTimeout`, how long
        // it waits for an answer (30 s), and `timeout`, the wait it asks of the broker (5 s, which
        // fails a broker that is merely busy with a large acks=all write).
        requestTimeout: connection.requestTimeoutMs ?? 30_000,
        timeout: connection.requestTimeoutMs ?? 30_000,
        retries: connection.retries ?? 5,
        // The client's 1 s default after a retriable error (a leader moving, a busy broker)
        // stalls every partition behind it; Java's retry.backoff.ms is 100 ms.
        retryDelay: 100,
    };
    if (connection.ssl || connection.sslCa)
        options.tls = connection.sslCa ? { ca: [readFileSync(connection.sslCa, 'utf8')] } : {};
    if (connection.sasl) {
        const mechanism = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' }[connection.sasl.mechanism];
        options.sasl = { mechanism, username: connection.sasl.username, password: connection.sasl.password };
    }
    return options;
}
//# sourceMappingURL=platformatic-options.js.map