import { Consumer, type Producer } from '@platformatic/kafka';
/** The client's Transaction class is not exported by name. */
type Transaction<K, V, HK, HV> = Awaited<ReturnType<Producer<K, V, HK, HV>['beginTransaction']>>;
import type { Logger } from '../logger.js';
import type { CommittedOffset, FetchedPartition, GroupAssignment, GroupConsumerPort, GroupConsumerSettings, Isolation, OffsetToCommit, OutgoingRecord, TransactionPort } from './port.js';
import type { BaseOptions } from './platformatic-options.js';
type BufferConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;
export declare class PlatformaticGroupConsumer implements GroupConsumerPort {
    private readonly settings;
    private readonly logger;
    readonly consumer: BufferConsumer;
    /** For group requests (offsets, commits), apart from the fetches' connections. */
    private readonly groupPool;
    private current;
    private readonly listeners;
    private heartbeatAt;
    constructor(base: BaseOptions, settings: GroupConsumerSettings, logger: Logger);
    get assignment(): GroupAssignment | undefined;
    get lastHeartbeatAt(): number | undefined;
    /** The member's identity in its generation, for commits (undefined while rejoining). */
    get member(): {
        generationId: number;
        memberId: string;
    } | undefined;
    onAssignment(listener: (assignment: GroupAssignment) => void): void;
    join(): Promise<GroupAssignment>;
    fetch(positions: ReadonlyMap<number, bigint>, maxWaitMs: number): Promise<FetchedPartition[]>;
    committed(partitions: readonly number[]): Promise<Map<number, CommittedOffset>>;
    startOffsets(partitions: readonly number[], from: 'earliest' | 'latest'): Promise<Map<number, bigint>>;
    commit(offsets: readonly OffsetToCommit[]): Promise<void>;
    /** TxnOffsetCommit: the offsets join the producer's open transaction, fenced by the group generation. */
    commitInTransaction(producer: {
        transactionalId: string;
        producerId: bigint;
        producerEpoch: number;
    }, offsets: readonly OffsetToCommit[]): Promise<void>;
    close(): Promise<void>;
    private coordinator;
    private coordinatorConnection;
    private offsetsTopic;
}
/**
 * Makes the consumer's fetches keep every batch for committedBatches(): the client's own
 * read_committed filter has already dropped some aborted batches by the time fetch() answers,
 * and they could not be counted.
 */
export declare function keepAllBatches(consumer: BufferConsumer): BufferConsumer;
/**
 * One fetch of the given partitions from their leaders, at the given offsets. read_committed
 * drops aborted transactions' records (counted in `abortedRecords`); control markers are never
 * records.
 */
export declare function fetchPartitions(consumer: BufferConsumer, topic: string, positions: ReadonlyMap<number, bigint>, maxWaitMs: number, isolation: Isolation): Promise<{
    partitions: FetchedPartition[];
    abortedRecords: number;
}>;
/**
 * A transaction of @platformatic/kafka's producer whose offsets go in through the group
 * member's TxnOffsetCommit, all partitions in one request and with their metadata (the
 * client's addOffset sends one partition per call, without metadata). Partitions join the
 * transaction one AddPartitionsToTxn at a time, before the sends that need them: the client
 * merges concurrent calls into the first one, so the partitions of the others were never
 * added, and the broker refused their records with TRANSACTION_ABORTABLE.
 */
export declare class PlatformaticTransaction implements TransactionPort {
    private readonly producer;
    private readonly transaction;
    private readonly sendRecords;
    private groupAdded;
    private readonly added;
    private adding;
    constructor(producer: Producer<Buffer, Buffer, Buffer, Buffer>, transaction: Transaction<Buffer, Buffer, Buffer, Buffer>, sendRecords: (send: Transaction<Buffer, Buffer, Buffer, Buffer>['send'], topic: string, records: readonly OutgoingRecord[]) => Promise<void>);
    send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
    private addPartitions;
    commitOffsets(group: GroupConsumerPort, offsets: readonly OffsetToCommit[]): Promise<void>;
    commit(): Promise<void>;
    abort(): Promise<void>;
}
export {};
