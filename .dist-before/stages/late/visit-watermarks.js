export const DEFAULT_LATE_STATE_VISITS = 200_000;
export const DEFAULT_LATE_STATE_AGE_MS = 60 * 60 * 1000;
/**
 * Per visit, the latest event instant already delivered: what tells a late event in streaming
 * mode. Bounded in both size and age, so a long-running job's memory does not grow with the
 * number of visits ever seen: a forgotten visit's next event simply counts as on time. The
 * Map's insertion order is kept as recency order, so eviction only looks at its front.
 */
export class VisitWatermarks {
    maxVisits;
    maxAgeMs;
    /** Visits forgotten so far, by size or by age. */
    evicted = 0;
    marks = new Map();
    now;
    /** While a change is open: each visit's mark before its first change in it (undefined: none). */
    undo;
    constructor(options = {}) {
        this.maxVisits = Math.max(1, options.maxVisits ?? DEFAULT_LATE_STATE_VISITS);
        this.maxAgeMs = options.maxAgeMs ?? DEFAULT_LATE_STATE_AGE_MS;
        this.now = options.now ?? Date.now;
    }
    get size() {
        return this.marks.size;
    }
    /** The latest instant delivered for the visit, if it is still remembered. */
    latest(visitId) {
        const mark = this.marks.get(visitId);
        if (mark === undefined)
            return undefined;
        if (this.now() - mark.touched > this.maxAgeMs) {
            this.remember(visitId, mark);
            this.marks.delete(visitId);
            this.evicted++;
            return undefined;
        }
        return mark.time;
    }
    /** Remembers that an event of the visit at `time`, read from input `partition`, is being delivered. */
    record(visitId, time, partition) {
        const mark = this.marks.get(visitId);
        const latest = mark === undefined ? time : Math.max(mark.time, time);
        this.remember(visitId, mark);
        if (mark !== undefined)
            this.marks.delete(visitId);
        this.marks.set(visitId, { time: latest, touched: this.now(), partition: partition ?? mark?.partition });
        if (this.marks.size > this.maxVisits)
            this.evictOldest();
    }
    /**
     * Takes a mark read back from the changelog (a partition newly assigned): kept unless it is
     * past the age limit or older than what this instance holds. Recency follows `touched`
     * only roughly: restored marks count as the most recent.
     */
    restore(mark) {
        if (this.now() - mark.touched > this.maxAgeMs)
            return;
        const held = this.marks.get(mark.visitId);
        if (held !== undefined && held.time >= mark.time)
            return;
        this.marks.delete(mark.visitId);
        this.marks.set(mark.visitId, { time: mark.time, touched: mark.touched, partition: mark.partition });
        if (this.marks.size > this.maxVisits)
            this.evictOldest();
    }
    /** Forgets a visit (its changelog record was deleted). */
    forget(visitId) {
        this.marks.delete(visitId);
    }
    /** Forgets visits past the age limit, and returns them; call between micro-batches. */
    expire() {
        const cutoff = this.now() - this.maxAgeMs;
        const expired = [];
        for (const [visitId, mark] of this.marks) {
            if (mark.touched >= cutoff)
                break;
            this.marks.delete(visitId);
            this.evicted++;
            expired.push({ visitId, ...mark });
        }
        return expired;
    }
    /** The marks the open change set (begin()), as they stand now. */
    changed() {
        const changed = [];
        for (const visitId of this.undo?.keys() ?? []) {
            const mark = this.marks.get(visitId);
            if (mark !== undefined)
                changed.push({ visitId, ...mark });
        }
        return changed;
    }
    /**
     * Opens a change that rollback() undoes (an exactly-once micro-batch whose transaction may
     * abort: its events will be read again, and must not find their own marks).
     */
    begin() {
        this.undo = new Map();
    }
    /** Keeps the open change. */
    commit() {
        this.undo = undefined;
    }
    /** Undoes the open change: every visit it touched gets its mark from before it back. */
    rollback() {
        const undo = this.undo;
        this.undo = undefined;
        if (!undo)
            return;
        for (const [visitId, mark] of undo) {
            if (mark === undefined)
                this.marks.delete(visitId);
            else
                this.marks.set(visitId, mark);
        }
    }
    remember(visitId, mark) {
        if (this.undo && !this.undo.has(visitId))
            this.undo.set(visitId, mark);
    }
    evictOldest() {
        const oldest = this.marks.keys().next();
        if (!oldest.done) {
            this.remember(oldest.value, this.marks.get(oldest.value));
            this.marks.delete(oldest.value);
            this.evicted++;
        }
    }
}
//# sourceMappingURL=visit-watermarks.js.map