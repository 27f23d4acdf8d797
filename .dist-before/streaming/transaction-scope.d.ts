import type { GroupConsumerPort, OffsetToCommit, OutgoingRecord, ProducerPort, TransactionalProducerPort } from '../kafka/port.js';
/**
 * A micro-batch's delivery as one transaction, begun at its first send: the sink and the
 * dead-letter topic send through it as through any producer, and the input offsets join it
 * before it commits. A micro-batch that sent nothing still commits its offsets in one.
 */
export declare class TransactionScope implements ProducerPort {
    private readonly producer;
    private transaction;
    constructor(producer: TransactionalProducerPort);
    /** Whether anything was sent or committed through it yet. */
    get begun(): boolean;
    send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
    /** Adds the offsets and commits: the output, the dead letters and the offsets become visible together. */
    commit(group: GroupConsumerPort, offsets: readonly OffsetToCommit[]): Promise<void>;
    /** Aborts what was sent: read_committed consumers never see it. */
    abort(): Promise<void>;
    close(): Promise<void>;
    private open;
}
