// The kafkajs adapter (`--client kafkajs`): the design card's client, unmaintained since
// February 2023. The streaming mode's consumer still uses kafkajs directly (createKafka).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CompressionTypes, Kafka, Partitioners } from 'kafkajs';
import { brokerList } from './connection.js';
import { kafkajsLevel, pinoLogCreator } from './log-creator.js';
import { KafkaSendError } from './port.js';
export function createKafka(connection, logger) {
    const config = {
        clientId: connection.clientId ?? 'bin-packer',
        brokers: brokerList(connection),
        connectionTimeout: connection.connectionTimeout ?? 3000,
        requestTimeout: connection.requestTimeoutMs ?? 30_000,
        retry: { retries: connection.retries ?? 5, initialRetryTime: 300, maxRetryTime: 10_000 },
        logLevel: kafkajsLevel(logger.level),
        logCreator: pinoLogCreator(logger.child({ component: 'kafkajs' })),
    };
    if (connection.ssl || connection.sslCa) {
        config.ssl = connection.sslCa ? { ca: [readFileSync(connection.sslCa, 'utf8')] } : true;
    }
    if (connection.sasl)
        config.sasl = connection.sasl;
    return new Kafka(config);
}
export function createKafkajsClient(connection, logger) {
    const kafka = createKafka(connection, logger);
    const producers = new Set();
    return {
        async partitionCount(topic) {
            return withAdmin(kafka, async (admin) => {
                if (!(await admin.listTopics()).includes(topic))
                    return undefined;
                const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
                return topics[0]?.partitions.length;
            });
        },
        async createTopic(topic, partitions, config) {
            return withAdmin(kafka, async (admin) => {
                if ((await admin.listTopics()).includes(topic))
                    return false;
                const configEntries = Object.entries(config ?? {}).map(([name, value]) => ({ name, value }));
                return admin.createTopics({ topics: [{ topic, numPartitions: partitions, configEntries }], waitForLeaders: true });
            });
        },
        async producer(settings) {
            const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner, idempotent: settings.idempotent, allowAutoTopicCreation: false });
            // Made before connecting, so a codec kafkajs lacks fails without a connection.
            const port = kafkajsProducer(producer, settings);
            producers.add(producer);
            await producer.connect();
            return { send: port.send, close: () => (producers.delete(producer), port.close()) };
        },
        async readTopicToEnd(topic, onRecord, options) {
            if (options?.partitions)
                throw new Error('reading chosen partitions needs the default client');
            await readToEnd(kafka, topic, onRecord, options?.isolation ?? 'read_committed');
            // kafkajs drops aborted records without counting them.
            return {};
        },
        groupConsumer() {
            throw new Error(STREAMING_CLIENT);
        },
        async transactionalProducer() {
            throw new Error(STREAMING_CLIENT);
        },
        async close() {
            await Promise.allSettled([...producers].map((p) => p.disconnect()));
        },
    };
}
/**
 * The port over a connected kafkajs Producer, such as one an embedder already has. close()
 * disconnects it. kafkajs ships gzip only: other codecs need packages this project does not load.
 */
export function kafkajsProducer(producer, settings) {
    const compression = kafkajsCompression(settings.compression);
    return {
        async send(topic, records) {
            const messages = records.map(toMessage);
            try {
                await producer.sendBatch({ topicMessages: [{ topic, messages }], acks: settings.acks, compression });
            }
            catch (error) {
                const type = error.type;
                throw new KafkaSendError(typeof type === 'string' ? `${type}: ${error.message}` : error.message, isRetriable(error), { cause: error });
            }
        },
        close: () => producer.disconnect(),
    };
}
function kafkajsCompression(compression) {
    if (compression === 'none')
        return CompressionTypes.None;
    if (compression === 'gzip')
        return CompressionTypes.GZIP;
    throw new Error(`--compression ${compression} is not available with --client kafkajs (it ships gzip only); use the default client, or none or gzip`);
}
function toMessage(record) {
    const headers = {};
    for (const [name, value] of record.headers)
        headers[name] = value;
    return { partition: record.partition, key: record.key, value: record.value, headers };
}
/**
 * Not retriable only when the broker said so: a protocol error (it has a `type`, such as
 * MESSAGE_TOO_LARGE) marked non-retriable. kafkajs' wrappers (retries exceeded, a connection
 * closed during a restart) say `retriable: false` of themselves, not of the records.
 */
function isRetriable(error) {
    const seen = new Set();
    for (let e = error; e && !seen.has(e); e = (e.originalError ?? e.cause)) {
        seen.add(e);
        if (typeof e.type === 'string' && e.retriable === false)
            return false;
    }
    return true;
}
async function withAdmin(kafka, work) {
    const admin = kafka.admin();
    await admin.connect();
    try {
        return await work(admin);
    }
    finally {
        await admin.disconnect().catch(() => undefined);
    }
}
const STREAMING_CLIENT = 'streaming mode runs on the default client (@platformatic/kafka): kafkajs speaks TxnOffsetCommit v0-v1 only, without group fencing';
/** Reads with a throwaway consumer group, deleted afterwards. */
async function readToEnd(kafka, topic, onRecord, isolation) {
    await withAdmin(kafka, async (admin) => {
        const groupId = `bin-packer-verify-${randomUUID()}`;
        const offsets = await admin.fetchTopicOffsets(topic);
        const remaining = new Map();
        for (const { partition, high, low } of offsets)
            if (BigInt(high) > BigInt(low))
                remaining.set(partition, BigInt(high));
        if (remaining.size === 0)
            return;
        const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false, maxBytes: 16 * 1024 * 1024, readUncommitted: isolation === 'read_uncommitted' });
        await consumer.connect();
        try {
            await consumer.subscribe({ topic, fromBeginning: true });
            await new Promise((resolve, reject) => {
                consumer
                    .run({
                    autoCommit: false,
                    eachBatch: async ({ batch }) => {
                        const end = remaining.get(batch.partition);
                        if (end === undefined)
                            return;
                        for (const message of batch.messages) {
                            if (BigInt(message.offset) >= end)
                                break;
                            const headers = new Map();
                            for (const [name, value] of Object.entries(message.headers ?? {})) {
                                const last = Array.isArray(value) ? value.at(-1) : value;
                                if (last !== undefined)
                                    headers.set(name, last.toString());
                            }
                            onRecord({ partition: batch.partition, offset: message.offset, key: message.key, value: message.value ?? Buffer.alloc(0), headers });
                        }
                        if (BigInt(batch.lastOffset()) + 1n >= end) {
                            remaining.delete(batch.partition);
                            if (remaining.size === 0)
                                resolve();
                        }
                    },
                })
                    .catch(reject);
            });
        }
        finally {
            await consumer.disconnect();
        }
        await admin.deleteGroups([groupId]).catch(() => undefined);
    });
}
//# sourceMappingURL=kafkajs.js.map