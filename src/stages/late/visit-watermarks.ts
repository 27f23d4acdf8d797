export interface VisitWatermarksOptions {
  /** Visits remembered at most; past this the least recently delivered are forgotten (default 200,000, ~160 bytes each). */
  maxVisits?: number;
  /** A visit not delivered to for this long is forgotten (default 1 hour). */
  maxAgeMs?: number;
  /** Wall clock, for tests. */
  now?: () => number;
}

export const DEFAULT_LATE_STATE_VISITS = 200_000;
export const DEFAULT_LATE_STATE_AGE_MS = 60 * 60 * 1000;

interface Mark {
  time: number;
  touched: number;
}

/**
 * Per visit, the latest event instant already delivered: what tells a late event in streaming
 * mode. Bounded in both size and age, so a long-running job's memory does not grow with the
 * number of visits ever seen: a forgotten visit's next event simply counts as on time. The
 * Map's insertion order is kept as recency order, so eviction only looks at its front.
 */
export class VisitWatermarks {
  readonly maxVisits: number;
  readonly maxAgeMs: number;
  /** Visits forgotten so far, by size or by age. */
  evicted = 0;
  private readonly marks = new Map<string, Mark>();
  private readonly now: () => number;
  /** While a change is open: each visit's mark before its first change in it (undefined: none). */
  private undo: Map<string, Mark | undefined> | undefined;

  constructor(options: VisitWatermarksOptions = {}) {
    this.maxVisits = Math.max(1, options.maxVisits ?? DEFAULT_LATE_STATE_VISITS);
    this.maxAgeMs = options.maxAgeMs ?? DEFAULT_LATE_STATE_AGE_MS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.marks.size;
  }

  /** The latest instant delivered for the visit, if it is still remembered. */
  latest(visitId: string): number | undefined {
    const mark = this.marks.get(visitId);
    if (mark === undefined) return undefined;
    if (this.now() - mark.touched > this.maxAgeMs) {
      this.remember(visitId, mark);
      this.marks.delete(visitId);
      this.evicted++;
      return undefined;
    }
    return mark.time;
  }

  /** Remembers that an event of the visit at `time` is being delivered. */
  record(visitId: string, time: number): void {
    const mark = this.marks.get(visitId);
    const latest = mark === undefined ? time : Math.max(mark.time, time);
    this.remember(visitId, mark);
    if (mark !== undefined) this.marks.delete(visitId);
    this.marks.set(visitId, { time: latest, touched: this.now() });
    if (this.marks.size > this.maxVisits) this.evictOldest();
  }

  /** Forgets visits past the age limit; call between micro-batches. */
  expire(): void {
    const cutoff = this.now() - this.maxAgeMs;
    for (const [visitId, mark] of this.marks) {
      if (mark.touched >= cutoff) break;
      this.marks.delete(visitId);
      this.evicted++;
    }
  }

  /**
   * Opens a change that rollback() undoes (an exactly-once micro-batch whose transaction may
   * abort: its events will be read again, and must not find their own marks).
   */
  begin(): void {
    this.undo = new Map();
  }

  /** Keeps the open change. */
  commit(): void {
    this.undo = undefined;
  }

  /** Undoes the open change: every visit it touched gets its mark from before it back. */
  rollback(): void {
    const undo = this.undo;
    this.undo = undefined;
    if (!undo) return;
    for (const [visitId, mark] of undo) {
      if (mark === undefined) this.marks.delete(visitId);
      else this.marks.set(visitId, mark);
    }
  }

  private remember(visitId: string, mark: Mark | undefined): void {
    if (this.undo && !this.undo.has(visitId)) this.undo.set(visitId, mark);
  }

  private evictOldest(): void {
    const oldest = this.marks.keys().next();
    if (!oldest.done) {
      this.remember(oldest.value, this.marks.get(oldest.value));
      this.marks.delete(oldest.value);
      this.evicted++;
    }
  }
}
