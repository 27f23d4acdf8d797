export interface FetchedRecordBatch<R> {
    firstOffset: bigint;
    lastOffsetDelta: number;
    producerId: bigint;
    attributes: number;
    records: R[];
}
export interface AbortedTransaction {
    producerId: bigint;
    firstOffset: bigint;
}
export interface CommittedBatches<B> {
    /** The data batches to read, in offset order: neither control batches nor aborted ones. */
    batches: B[];
    /** Records dropped because their transaction was aborted. */
    abortedRecords: number;
}
export declare function isControlBatch(batch: {
    attributes: number;
}): boolean;
/** The batches of one partition's fetch that a read_committed reader sees. */
export declare function committedBatches<R extends {
    key: Buffer | null;
}, B extends FetchedRecordBatch<R>>(batches: readonly B[], aborted: readonly AbortedTransaction[] | null | undefined): CommittedBatches<B>;
