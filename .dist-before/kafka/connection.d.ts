export type SaslMechanism = 'plain' | 'scram-sha-256' | 'scram-sha-512';
export interface KafkaConnection {
    /** Comma-separated host:port list. */
    brokers: string;
    clientId?: string;
    /** TLS on; `sslCa` adds a CA bundle (PEM file) to the trusted roots. */
    ssl?: boolean;
    sslCa?: string;
    sasl?: {
        mechanism: SaslMechanism;
        username: string;
        password: string;
    };
    /** Per-connection timeout in ms (default 3000). */
    connectionTimeout?: number;
    /** The client's own retries of one request (default 5). */
    retries?: number;
    /** How long one request may wait for the broker's answer (default 30 s, Kafka's request.timeout.ms). */
    requestTimeoutMs?: number;
}
/** The bootstrap brokers as a list; throws when there is none. */
export declare function brokerList(connection: KafkaConnection): string[];
/** SASL settings from the environment: KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD. */
export declare function saslFromEnv(env?: NodeJS.ProcessEnv): KafkaConnection['sasl'];
