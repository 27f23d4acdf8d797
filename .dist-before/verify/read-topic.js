/**
 * Every record of `topic` from the beginning up to the end offsets taken at the start, in
 * offset order per partition, as the order checker reads them. read_committed by default: the
 * end is then the last stable offset, and aborted transactions' records are skipped and counted.
 */
export async function readTopicToEnd(client, topic, onRecord, options = {}) {
    return client.readTopicToEnd(topic, (record) => onRecord({
        partition: record.partition,
        offset: record.offset,
        key: record.key?.toString('utf8') ?? null,
        value: record.value,
        batch: record.headers.get('delivery_batch') ?? null,
        late: record.headers.get('late') === 'true',
    }), options);
}
//# sourceMappingURL=read-topic.js.map