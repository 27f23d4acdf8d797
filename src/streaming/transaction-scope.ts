import type {
  EncodedRecordBatch,
  GroupConsumerPort,
  OffsetToCommit,
  OutgoingRecord,
  ProducerPort,
  TransactionalProducerPort,
  TransactionPort,
} from '../kafka/port.js';

/**
 * A micro-batch's delivery as one transaction, begun at its first send: the sink and the
 * dead-letter topic send through it as through any producer, and the input offsets join it
 * before it commits. A micro-batch that sent nothing still commits its offsets in one.
 */
export class TransactionScope implements ProducerPort {
  private transaction: Promise<TransactionPort> | undefined;

  constructor(private readonly producer: TransactionalProducerPort) {}

  /** Whether anything was sent or committed through it yet. */
  get begun(): boolean {
    return this.transaction !== undefined;
  }

  async send(topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    await (await this.open()).send(topic, records);
  }

  async sendEncoded(topic: string, batches: readonly EncodedRecordBatch[]): Promise<void> {
    await (await this.open()).sendEncoded(topic, batches);
  }

  /** Adds the offsets and commits: the output, the dead letters and the offsets become visible together. */
  async commit(group: GroupConsumerPort, offsets: readonly OffsetToCommit[]): Promise<void> {
    if (offsets.length === 0 && !this.transaction) return;
    const transaction = await this.open();
    await transaction.commitOffsets(group, offsets);
    await transaction.commit();
  }

  /** Aborts what was sent: read_committed consumers never see it. */
  async abort(): Promise<void> {
    if (!this.transaction) return;
    await (await this.transaction).abort();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  private open(): Promise<TransactionPort> {
    return (this.transaction ??= this.producer.begin());
  }
}
