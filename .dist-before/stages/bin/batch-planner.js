import { DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_RECORDS, DEFAULT_MAX_BUFFERED_BYTES, emptyBinStats, } from './binner-options.js';
/**
 * What an open batch costs beyond its events' bytes (its objects, the unused end of its
 * buffer), charged to maxBufferedBytes: one visit of 250k events opens a batch per event, and
 * counting their events alone let 70k open batches hold 600 MB.
 */
const BATCH_OVERHEAD_BYTES = 1024;
/**
 * Where each event goes, without holding events: the run-grouping placement shared by the
 * Binner (events as objects) and binToLines (events already formatted as delivery lines).
 * Each visit's k-th event goes to the lowest open batch above the one that took its (k-1)-th
 * and still has room, so no batch holds a visit twice and a visit's batches increase with
 * time; the lowest open batch closes once full (or early, when open batches hold more than
 * maxBufferedBytes), so a long visit's tail shares batches with the visits after it.
 */
export class BatchPlanner {
    newPayload;
    stats = emptyBinStats();
    maxRecords;
    maxBytes;
    maxBuffered;
    /**
     * open[head + i] is batch number firstOpen + i. Closing advances `head` (the array is
     * compacted now and then): shift() would move every open batch, quadratic in a long visit.
     */
    open = [];
    head = 0;
    firstOpen;
    /** Index in `open` below which every batch is full by records. */
    lowestWithRoom = 0;
    bufferedBytes = 0;
    /** Events larger than maxBatchBytes: each needs a batch of its own. */
    oversizedEvents = 0;
    fittingBytes = 0;
    visitId;
    visitLength = 0;
    previousBatch = 0;
    previousTime = -Infinity;
    constructor(options, newPayload) {
        this.newPayload = newPayload;
        this.maxRecords = Math.max(1, options.maxBatchRecords ?? DEFAULT_MAX_BATCH_RECORDS);
        this.maxBytes = Math.max(1, options.maxBatchBytes ?? DEFAULT_MAX_BATCH_BYTES);
        this.maxBuffered = Math.max(1, options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES);
        this.firstOpen = options.firstBatch ?? 1;
    }
    /**
     * Places one event of `size` bytes (events sorted by visit, then instant) and returns its
     * batch: store the event in its payload, then take the batches this closed with nextClosed().
     */
    place(visitId, time, size, seq) {
        this.startOrContinueVisit(visitId, time, seq);
        const open = this.open.length - this.head;
        let index = Math.max(this.previousBatch + 1 - this.firstOpen, this.lowestWithRoom);
        while (index < open && !this.fits(this.open[this.head + index], size))
            index++;
        const batch = index < open ? this.open[this.head + index] : this.openBatch();
        batch.records++;
        batch.bytes += size;
        this.previousBatch = batch.number;
        this.bufferedBytes += size;
        if (size > this.maxBytes)
            this.oversizedEvents++;
        else
            this.fittingBytes += size;
        this.stats.events++;
        while (this.lowestWithRoom < this.open.length - this.head && this.open[this.head + this.lowestWithRoom].records >= this.maxRecords)
            this.lowestWithRoom++;
        return batch;
    }
    /** The lowest open batch if it is complete now (full, or memory is over budget), removed; else undefined. */
    nextClosed() {
        const lowest = this.open[this.head];
        if (lowest === undefined || (lowest.records < this.maxRecords && this.bufferedBytes <= this.maxBuffered))
            return undefined;
        this.head++;
        if (this.head >= 1024 && 2 * this.head >= this.open.length) {
            this.open = this.open.slice(this.head);
            this.head = 0;
        }
        if (lowest.records < this.maxRecords)
            this.stats.closedEarly++;
        this.firstOpen++;
        this.lowestWithRoom = Math.max(0, this.lowestWithRoom - 1);
        this.bufferedBytes -= lowest.bytes + BATCH_OVERHEAD_BYTES;
        this.stats.batches++;
        return lowest;
    }
    /** Closes every open batch, in order. Call once, after the last place(). */
    finish() {
        this.stats.longestVisit = Math.max(this.stats.longestVisit, this.visitLength);
        const rest = this.open.slice(this.head);
        this.open = [];
        this.head = 0;
        this.lowestWithRoom = 0;
        this.bufferedBytes = 0;
        this.stats.batches += rest.length;
        this.stats.lowerBound = Math.max(this.stats.longestVisit, Math.ceil(this.stats.events / this.maxRecords), this.oversizedEvents + Math.ceil(this.fittingBytes / this.maxBytes));
        return rest;
    }
    fits(batch, size) {
        return batch.records < this.maxRecords && (batch.records === 0 || batch.bytes + size <= this.maxBytes);
    }
    openBatch() {
        const number = this.firstOpen + this.open.length - this.head;
        const batch = { number, records: 0, bytes: 0, payload: this.newPayload(number) };
        this.open.push(batch);
        this.bufferedBytes += BATCH_OVERHEAD_BYTES;
        return batch;
    }
    startOrContinueVisit(visitId, time, seq) {
        if (visitId === this.visitId) {
            if (time < this.previousTime) {
                throw new Error(`binner input is not sorted: visit ${visitId} goes back in time${seq === undefined ? '' : ` (seq ${seq})`}`);
            }
            this.visitLength++;
            this.previousTime = time;
            return;
        }
        if (this.visitId !== undefined && visitId < this.visitId) {
            throw new Error(`binner input is not sorted by visit: ${visitId} after ${this.visitId}`);
        }
        this.stats.longestVisit = Math.max(this.stats.longestVisit, this.visitLength);
        this.visitId = visitId;
        this.visitLength = 1;
        this.previousTime = time;
        this.previousBatch = 0;
        this.stats.visits++;
    }
}
//# sourceMappingURL=batch-planner.js.map