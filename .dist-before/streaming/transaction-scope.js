/**
 * A micro-batch's delivery as one transaction, begun at its first send: the sink and the
 * dead-letter topic send through it as through any producer, and the input offsets join it
 * before it commits. A micro-batch that sent nothing still commits its offsets in one.
 */
export class TransactionScope {
    producer;
    transaction;
    constructor(producer) {
        this.producer = producer;
    }
    /** Whether anything was sent or committed through it yet. */
    get begun() {
        return this.transaction !== undefined;
    }
    async send(topic, records) {
        await (await this.open()).send(topic, records);
    }
    /** Adds the offsets and commits: the output, the dead letters and the offsets become visible together. */
    async commit(group, offsets) {
        if (offsets.length === 0 && !this.transaction)
            return;
        const transaction = await this.open();
        await transaction.commitOffsets(group, offsets);
        await transaction.commit();
    }
    /** Aborts what was sent: read_committed consumers never see it. */
    async abort() {
        if (!this.transaction)
            return;
        await (await this.transaction).abort();
    }
    close() {
        return Promise.resolve();
    }
    open() {
        return (this.transaction ??= this.producer.begin());
    }
}
//# sourceMappingURL=transaction-scope.js.map