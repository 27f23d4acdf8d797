import { BatchPlanner } from './batch-planner.js';
export { DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_RECORDS, DEFAULT_MAX_BUFFERED_BYTES } from './binner-options.js';
// Shared by the many add() calls that close nothing; frozen, so a caller cannot change it.
const NONE_CLOSED = Object.freeze([]);
/**
 * Run-grouping binner over events sorted by (visit, instant), placing them with BatchPlanner.
 * Unlike the seed (k-th event of every visit into batch k, all batches in memory), batches
 * fill as the stream goes and come out in order, complete, numbered from firstBatch (1
 * unless given), with the count near its lower bound.
 */
export class Binner {
    planner;
    constructor(options = {}) {
        this.planner = new BatchPlanner(options, (number) => ({ number, events: [], bytes: 0 }));
    }
    get stats() {
        return this.planner.stats;
    }
    /** Places one event; returns the batches this closed (possibly none), lowest first. */
    add(event) {
        const size = event.bytes?.length ?? Buffer.byteLength(event.text, 'utf8');
        const batch = this.planner.place(event.visitId, event.time, size, event.seq).payload;
        batch.events.push(event);
        batch.bytes += size;
        let closed = this.planner.nextClosed();
        if (closed === undefined)
            return NONE_CLOSED;
        const batches = [];
        for (; closed !== undefined; closed = this.planner.nextClosed())
            batches.push(closed.payload);
        return batches;
    }
    /** Closes every open batch, in order. Call once, after the last add(). */
    finish() {
        return this.planner.finish().map((batch) => batch.payload);
    }
}
//# sourceMappingURL=binner.js.map