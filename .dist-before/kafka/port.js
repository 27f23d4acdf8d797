// The narrow Kafka client port: only what bin-packer needs from a client. One adapter per
// client library implements it (platformatic.ts, the default; kafkajs.ts, the design card's
// client), so the sink, verify and the CLI never import a client library themselves.
export const COMPRESSIONS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
export const CLIENT_NAMES = ['platformatic', 'kafkajs'];
/**
 * A send that did not end with every record acknowledged. `retriable` is the client's word
 * on whether the same records may succeed if sent again (a timeout, a leader change); a
 * record too large or an authorization failure is not.
 */
export class KafkaSendError extends Error {
    retriable;
    name = 'KafkaSendError';
    constructor(message, retriable, options) {
        super(message, options);
        this.retriable = retriable;
    }
}
//# sourceMappingURL=port.js.map