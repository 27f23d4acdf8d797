// The Produce request for @platformatic/kafka's producer, with each partition's record batch
// encoded into one Buffer (record-batch.ts). The client builds every record from a dozen small
// buffers and joins them twice, the largest share of the main thread's time in delivery
// (bench/README.md). Compression runs synchronously here. Everything else stays the client's own: metadata, connections,
// idempotent sequence numbers, retries and the response parser. The request layout is
// produce-v9 to v11's (the flexible versions, Kafka 2.8 and later); an older broker gets the
// client's own encoder. test/kafka/record-batch.test.ts pins the bytes against the client's.
import { compressionsAlgorithms, createAPI, crc32c, Producer, produceV9, produceV10, produceV11, Writer } from '@platformatic/kafka';
import { replaceApi } from './platformatic-apis.js';
import { encodeRecordBatch } from './record-batch.js';
const parsers = new Map([
    [9, produceV9.parseResponse],
    [10, produceV10.parseResponse],
    [11, produceV11.parseResponse],
]);
const apis = new Map();
function produceApi(version) {
    const parse = parsers.get(version);
    if (!parse)
        return undefined;
    let api = apis.get(version);
    if (!api)
        apis.set(version, (api = createAPI(0, version, createRequest, parse)));
    return api;
}
function createRequest(acks, timeout, messages, options) {
    const now = BigInt(Date.now());
    const byTopic = new Map();
    for (const message of messages) {
        message.partition ??= 0;
        message.timestamp ??= now;
        let partitions = byTopic.get(message.topic);
        if (!partitions)
            byTopic.set(message.topic, (partitions = new Map()));
        const share = partitions.get(message.partition);
        if (share)
            share.push(message);
        else
            partitions.set(message.partition, [message]);
    }
    const compression = compressionOf(options.compression);
    const writer = Writer.create()
        .appendString(options.transactionalId)
        .appendInt16(acks)
        .appendInt32(timeout)
        .appendArray([...byTopic], (w, [topic, partitions]) => {
        w.appendString(topic).appendArray([...partitions], (w, [partition, records]) => {
            const batch = encodeRecordBatch(records, {
                producerId: options.producerId ?? -1n,
                producerEpoch: options.producerEpoch ?? 0,
                baseSequence: options.sequences?.getWithDefault(`${topic}:${partition}`, 0) ?? 0,
                transactional: options.transactionalId !== undefined,
                partitionLeaderEpoch: options.partitionLeaderEpoch ?? 0,
            }, crc32c, compression);
            w.appendInt32(partition).appendUnsignedVarInt(batch.length + 1).append(batch);
        });
    })
        .appendTaggedFields();
    if (acks === 0)
        writer.context.noResponse = true;
    return writer;
}
function compressionOf(name) {
    if (name === undefined || name === 'none')
        return undefined;
    const algorithm = compressionsAlgorithms[name];
    if (!algorithm)
        throw new Error(`unsupported compression ${name}`);
    return { bitmask: algorithm.bitmask, compress: (records) => algorithm.compressSync(records) };
}
/** Makes the producer encode its Produce requests with encodeRecordBatch (v9 to v11; older brokers get the client's own). */
export function useFastProduce(producer) {
    replaceApi(producer, 'Produce', (api) => produceApi(api.version) ?? api);
}
//# sourceMappingURL=platformatic-produce.js.map