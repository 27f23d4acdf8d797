export interface VisitWatermarksOptions {
    /** Visits remembered at most; past this the least recently delivered are forgotten (default 200,000, ~160 bytes each). */
    maxVisits?: number;
    /** A visit not delivered to for this long is forgotten (default 1 hour). */
    maxAgeMs?: number;
    /** Wall clock, for tests. */
    now?: () => number;
}
export declare const DEFAULT_LATE_STATE_VISITS = 200000;
export declare const DEFAULT_LATE_STATE_AGE_MS: number;
/** A visit's mark, as the late-state changelog keeps it. */
export interface VisitMark {
    visitId: string;
    /** The latest event instant delivered. */
    time: number;
    /** When the visit was last delivered to (wall clock, ms). */
    touched: number;
    partition: number | undefined;
}
/**
 * Per visit, the latest event instant already delivered: what tells a late event in streaming
 * mode. Bounded in both size and age, so a long-running job's memory does not grow with the
 * number of visits ever seen: a forgotten visit's next event simply counts as on time. The
 * Map's insertion order is kept as recency order, so eviction only looks at its front.
 */
export declare class VisitWatermarks {
    readonly maxVisits: number;
    readonly maxAgeMs: number;
    /** Visits forgotten so far, by size or by age. */
    evicted: number;
    private readonly marks;
    private readonly now;
    /** While a change is open: each visit's mark before its first change in it (undefined: none). */
    private undo;
    constructor(options?: VisitWatermarksOptions);
    get size(): number;
    /** The latest instant delivered for the visit, if it is still remembered. */
    latest(visitId: string): number | undefined;
    /** Remembers that an event of the visit at `time`, read from input `partition`, is being delivered. */
    record(visitId: string, time: number, partition?: number): void;
    /**
     * Takes a mark read back from the changelog (a partition newly assigned): kept unless it is
     * past the age limit or older than what this instance holds. Recency follows `touched`
     * only roughly: restored marks count as the most recent.
     */
    restore(mark: VisitMark): void;
    /** Forgets a visit (its changelog record was deleted). */
    forget(visitId: string): void;
    /** Forgets visits past the age limit, and returns them; call between micro-batches. */
    expire(): VisitMark[];
    /** The marks the open change set (begin()), as they stand now. */
    changed(): VisitMark[];
    /**
     * Opens a change that rollback() undoes (an exactly-once micro-batch whose transaction may
     * abort: its events will be read again, and must not find their own marks).
     */
    begin(): void;
    /** Keeps the open change. */
    commit(): void;
    /** Undoes the open change: every visit it touched gets its mark from before it back. */
    rollback(): void;
    private remember;
    private evictOldest;
}
