// Connection settings and their parsing, apart from kafkajs: the CLI reads them before it
// decides to load the client (see src/pipe.ts).

export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';

export interface KafkaConnection {
  /** Comma-separated host:port list. */
  brokers: string;
  clientId?: string;
  /** TLS on; `sslCa` adds a CA bundle (PEM file) to the trusted roots. */
  ssl?: boolean;
  sslCa?: string;
  sasl?: { mechanism: SaslMechanism; username: string; password: string };
  /** Per-connection timeout in ms (default 3000). */
  connectionTimeout?: number;
  /** kafkajs' own retries for one request (default 5, ~30 s in all). */
  retries?: number;
}

/** SASL settings from the environment: KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD. */
export function saslFromEnv(env: NodeJS.ProcessEnv = process.env): KafkaConnection['sasl'] {
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (!mechanism) return undefined;
  if (mechanism !== 'plain' && mechanism !== 'scram-sha-256' && mechanism !== 'scram-sha-512') {
    throw new Error(`KAFKA_SASL_MECHANISM must be plain, scram-sha-256 or scram-sha-512, got "${mechanism}"`);
  }
  const username = env.KAFKA_SASL_USERNAME;
  const password = env.KAFKA_SASL_PASSWORD;
  if (!username || password === undefined) throw new Error('KAFKA_SASL_MECHANISM needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD');
  return { mechanism, username, password };
}
