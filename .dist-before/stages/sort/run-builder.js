import { compareSortKeys } from '../../events.js';
import { encodeRecord, RECORD_HEADER_BYTES, RunFileWriter } from './run-file.js';
/**
 * A sort buffer that keeps rows as bytes, already in the run-file format, in one arena of a
 * fixed size, with only the sort keys (visit_id, instant, arrival) as JS values beside them.
 * The parallel sort's workers fill one each: compared with buffering VisitEvents, no event
 * text ever becomes a long-lived JS string, so the garbage collector has little to copy and
 * the memory budget is the arena's size, not an estimate.
 */
export class RunBuilder {
    capacity;
    arena;
    used = 0;
    visitIds = [];
    times = [];
    seqs = [];
    starts = [];
    constructor(capacity) {
        this.capacity = capacity;
        this.arena = Buffer.allocUnsafe(capacity);
    }
    get count() {
        return this.visitIds.length;
    }
    /**
     * Adds a row, its exact bytes being `text[start, end)`. Returns false, adding nothing, when
     * the arena is too full: write the run and add it again. A row larger than the whole arena
     * gets an arena of its own.
     */
    add(visitId, time, seq, text, start = 0, end = text.length) {
        const worst = RECORD_HEADER_BYTES + 3 * visitId.length + end - start;
        if (this.used + worst > this.arena.length) {
            if (this.count > 0)
                return false;
            if (worst > this.arena.length)
                this.arena = Buffer.allocUnsafe(worst);
        }
        this.starts.push(this.used);
        this.visitIds.push(visitId);
        this.times.push(time);
        this.seqs.push(seq);
        this.used = encodeRecord(this.arena, this.used, time, seq, visitId, text, start, end);
        return true;
    }
    /** Writes the rows sorted by (visit_id, instant, arrival) to a new private file and empties the builder. Returns its size. */
    writeRun(path) {
        const { starts, arena } = this;
        const order = this.sortedOrder();
        const writer = new RunFileWriter(path);
        try {
            for (const i of order) {
                const start = starts[i];
                writer.append(arena, start, start + 4 + arena.readUInt32LE(start));
            }
        }
        catch (error) {
            writer.discard();
            throw error;
        }
        const size = writer.close();
        this.used = 0;
        this.visitIds = [];
        this.times = [];
        this.seqs = [];
        this.starts = [];
        if (this.arena.length > this.capacity)
            this.arena = Buffer.allocUnsafe(this.capacity);
        return size;
    }
    /**
     * Row indexes in (visit_id, instant, arrival) order. Rows are grouped by visit first and only
     * the distinct visit ids are sorted as strings: a visit has a handful of rows, so this beats
     * one comparator sort over every row (bench/README.md, "Figures behind constants").
     */
    sortedOrder() {
        const { visitIds, times, seqs } = this;
        const count = visitIds.length;
        // Each visit's rows chained in arrival order: first row per visit, then next[row].
        const first = new Map();
        const next = new Int32Array(count).fill(-1);
        const last = new Int32Array(count);
        for (let i = 0; i < count; i++) {
            const head = first.get(visitIds[i]);
            if (head === undefined) {
                first.set(visitIds[i], i);
                last[i] = i;
            }
            else {
                next[last[head]] = i;
                last[head] = i;
            }
        }
        // The default sort compares UTF-16 code units, as compareSortKeys' < does.
        const ids = [...first.keys()].sort();
        const order = new Array(count);
        let n = 0;
        for (const id of ids) {
            const visitStart = n;
            for (let i = first.get(id); i !== -1; i = next[i]) {
                // Insertion by (instant, arrival) into the visit's few rows.
                let j = n++;
                while (j > visitStart && compareSortKeys(id, times[order[j - 1]], seqs[order[j - 1]], id, times[i], seqs[i]) > 0) {
                    order[j] = order[j - 1];
                    j--;
                }
                order[j] = i;
            }
        }
        return order;
    }
}
//# sourceMappingURL=run-builder.js.map