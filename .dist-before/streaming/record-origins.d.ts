/** Where one row of a micro-batch came from. */
export interface RecordOrigin {
    partition: number;
    offset: number;
    /** The assignment epoch in which it was read (see StreamingJob). */
    epoch: number;
}
/**
 * The origin of each row fed into a micro-batch, by arrival index (the validate stage's `seq`),
 * so that events coming out of the sort can be traced back to their partition and offset.
 * Rows arrive in runs from one partition, so partitions and epochs are kept per run and only
 * the offsets per row.
 */
export declare class RecordOrigins {
    private readonly runStarts;
    private readonly runPartitions;
    private readonly runEpochs;
    private readonly offsets;
    get size(): number;
    add(partition: number, offset: number, epoch: number): void;
    of(index: number): RecordOrigin;
}
