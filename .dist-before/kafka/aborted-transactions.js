// Reading a partition read_committed: which fetched record batches belong to aborted
// transactions. The broker answers a read_committed fetch with the batches up to the last
// stable offset plus the list of aborted transactions that overlap them (producer id and
// first offset); the consumer drops each such producer's transactional batches from that
// first offset up to the producer's abort marker. This is Java's consumer algorithm
// (CompletedFetch). @platformatic/kafka 2.12.1 keeps one range per producer, so of two
// aborted transactions of one producer in one fetch it drops only the last: test/kafka/
// aborted-transactions.test.ts pins that case.
const TRANSACTIONAL = 1 << 4;
const CONTROL = 1 << 5;
/** A control record's key is version (int16) then type (int16): 0 = abort, 1 = commit. */
const ABORT_MARKER = 0;
export function isControlBatch(batch) {
    return (batch.attributes & CONTROL) !== 0;
}
/** The batches of one partition's fetch that a read_committed reader sees. */
export function committedBatches(batches, aborted) {
    const pending = [...(aborted ?? [])].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : a.firstOffset > b.firstOffset ? 1 : 0));
    const open = new Set();
    const kept = [];
    let abortedRecords = 0;
    let next = 0;
    for (const batch of batches) {
        const lastOffset = batch.firstOffset + BigInt(batch.lastOffsetDelta);
        while (next < pending.length && pending[next].firstOffset <= lastOffset)
            open.add(pending[next++].producerId);
        if (isControlBatch(batch)) {
            if (open.has(batch.producerId) && batch.records[0]?.key?.readInt16BE(2) === ABORT_MARKER)
                open.delete(batch.producerId);
            continue;
        }
        if ((batch.attributes & TRANSACTIONAL) !== 0 && open.has(batch.producerId)) {
            abortedRecords += batch.records.length;
            continue;
        }
        kept.push(batch);
    }
    return { batches: kept, abortedRecords };
}
//# sourceMappingURL=aborted-transactions.js.map