/**
 * A sort buffer that keeps rows as bytes, already in the run-file format, in one arena of a
 * fixed size, with only the sort keys (visit_id, instant, arrival) as JS values beside them.
 * The parallel sort's workers fill one each: compared with buffering VisitEvents, no event
 * text ever becomes a long-lived JS string, so the garbage collector has little to copy and
 * the memory budget is the arena's size, not an estimate.
 */
export declare class RunBuilder {
    readonly capacity: number;
    private arena;
    private used;
    private visitIds;
    private times;
    private seqs;
    private starts;
    constructor(capacity: number);
    get count(): number;
    /**
     * Adds a row, its exact bytes being `text[start, end)`. Returns false, adding nothing, when
     * the arena is too full: write the run and add it again. A row larger than the whole arena
     * gets an arena of its own.
     */
    add(visitId: string, time: number, seq: number, text: Buffer, start?: number, end?: number): boolean;
    /** Writes the rows sorted by (visit_id, instant, arrival) to a new private file and empties the builder. Returns its size. */
    writeRun(path: string): number;
    /**
     * Row indexes in (visit_id, instant, arrival) order. Rows are grouped by visit first and only
     * the distinct visit ids are sorted as strings: a visit has a handful of rows, so this beats
     * one comparator sort over every row (bench/README.md, "Figures behind constants").
     */
    private sortedOrder;
}
