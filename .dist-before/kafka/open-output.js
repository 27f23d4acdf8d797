import { CREATE_TOPIC_HINT, requireTopic, TopicMissingError } from './topic.js';
export class KafkaUnavailableError extends Error {
    name = 'KafkaUnavailableError';
}
/**
 * Checks (or creates) the output topic, reads its partition count and connects a producer,
 * failing with a clear message within connectTimeoutMs when the brokers cannot be reached,
 * never answer, or the topic does not exist.
 */
export async function openOutput(client, options) {
    const timeoutMs = options.connectTimeoutMs ?? 30_000;
    const work = (async () => {
        const { partitions } = await requireTopic(client, options.topic, { brokers: options.brokers, createPartitions: options.createPartitions, hint: CREATE_TOPIC_HINT });
        return { producer: await client.producer(options.producer), partitions };
    })();
    let timer;
    const timeout = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new KafkaUnavailableError(`cannot reach Kafka at ${options.brokers} within ${formatSeconds(timeoutMs)}`)), timeoutMs);
    });
    work.catch(() => undefined); // a late failure after the timeout is not unhandled
    try {
        return await Promise.race([work, timeout]);
    }
    catch (error) {
        // Close what the client opened, but give up on a close that waits on a silent broker itself.
        await Promise.race([client.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, 1000).unref())]);
        if (error instanceof KafkaUnavailableError)
            throw error;
        if (error instanceof TopicMissingError)
            throw new KafkaUnavailableError(error.message);
        throw new KafkaUnavailableError(`cannot use Kafka at ${options.brokers}: ${describeFailure(error)}`, { cause: error });
    }
    finally {
        clearTimeout(timer);
    }
}
function formatSeconds(ms) {
    return `${Math.round(ms / 100) / 10} s`;
}
/**
 * A client error's message with the first underlying reason it wraps: "Listing topics failed."
 * alone does not tell a refused connection from a bad credential.
 */
function describeFailure(error) {
    const message = error instanceof Error ? error.message : String(error);
    let reason = error;
    for (let depth = 0; depth < 8; depth++) {
        const inner = reason?.errors?.[0] ?? reason?.cause;
        if (inner === undefined || inner === null)
            break;
        reason = inner;
    }
    const detail = reason instanceof Error ? reason.message : undefined;
    return detail && detail !== message ? `${message.replace(/\.$/, '')}: ${detail}` : message;
}
//# sourceMappingURL=open-output.js.map