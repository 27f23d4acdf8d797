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
  /** The input partition the visit's events come from (streaming's late-state changelog). */
  partition: number | undefined;
}

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
export class VisitWatermarks {
  readonly maxVisits: number;
  readonly maxAgeMs: number;
  /** Visits forgotten so far, by size or by age. */
  evicted = 0;
  private readonly marks = new Map<string, Mark>();
  private readonly now: () => number;
  /** While a change is open: each visit's mark before its first change in it (undefined: none). */
  private undo: Map<string, Mark | undefined> | undefined;
  /**
   * The visit record() last set, while its mark is still the Map's newest and its own (not
   * one the open change keeps for undo): sorted events come a visit at a time, so its next
   * events update the mark in place instead of moving it to the back of the Map again.
   */
  private newest: { visitId: string; mark: Mark } | undefined;

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
    return this.current(visitId, this.now())?.time;
  }

  /** Remembers that an event of the visit at `time`, read from input `partition`, is being delivered. */
  record(visitId: string, time: number, partition?: number): void {
    if (this.newest?.visitId === visitId) this.refresh(this.newest.mark, time, this.now(), partition);
    else this.replace(visitId, this.marks.get(visitId), time, this.now(), partition);
  }

  /**
   * An event of the visit at `time`, about to be delivered: if it is late (older than the
   * latest instant delivered for the visit), that instant, and nothing is recorded; otherwise
   * undefined, and the event is recorded. The same as latest() then record(), in one lookup
   * (the late-event stage asks this of every event, sorted: a visit's events come together).
   */
  observe(visitId: string, time: number, partition?: number): number | undefined {
    const now = this.now();
    const mark = this.current(visitId, now);
    if (mark !== undefined && time < mark.time) return mark.time;
    if (mark !== undefined && mark === this.newest?.mark) this.refresh(mark, time, now, partition);
    else this.replace(visitId, mark, time, now, partition);
    return undefined;
  }

  /**
   * Takes a mark read back from the changelog (a partition newly assigned): kept unless it is
   * past the age limit or older than what this instance holds. Recency follows `touched`
   * only roughly: restored marks count as the most recent.
   */
  restore(mark: VisitMark): void {
    if (this.now() - mark.touched > this.maxAgeMs) return;
    const held = this.marks.get(mark.visitId);
    if (held !== undefined && held.time >= mark.time) return;
    this.newest = undefined;
    this.marks.delete(mark.visitId);
    this.marks.set(mark.visitId, { time: mark.time, touched: mark.touched, partition: mark.partition });
    if (this.marks.size > this.maxVisits) this.evictOldest();
  }

  /** Forgets a visit (its changelog record was deleted). */
  forget(visitId: string): void {
    if (this.newest?.visitId === visitId) this.newest = undefined;
    this.marks.delete(visitId);
  }

  /** Forgets visits past the age limit, and returns them; call between micro-batches. */
  expire(): VisitMark[] {
    const cutoff = this.now() - this.maxAgeMs;
    const expired: VisitMark[] = [];
    for (const [visitId, mark] of this.marks) {
      if (mark.touched >= cutoff) break;
      if (this.newest?.visitId === visitId) this.newest = undefined;
      this.marks.delete(visitId);
      this.evicted++;
      expired.push(visitMark(visitId, mark));
    }
    return expired;
  }

  /** The marks the open change set (begin()), as they stand now. */
  changed(): VisitMark[] {
    const changed: VisitMark[] = [];
    for (const visitId of this.undo?.keys() ?? []) {
      const mark = this.marks.get(visitId);
      if (mark !== undefined) changed.push(visitMark(visitId, mark));
    }
    return changed;
  }

  /**
   * Opens a change that rollback() undoes (an exactly-once micro-batch whose transaction may
   * abort: its events will be read again, and must not find their own marks).
   */
  begin(): void {
    this.undo = new Map();
    // The newest mark is about to be kept for undo: the change's first record() must replace it.
    this.newest = undefined;
  }

  /** Keeps the open change. */
  commit(): void {
    this.undo = undefined;
  }

  /** Undoes the open change: every visit it touched gets its mark from before it back. */
  rollback(): void {
    const undo = this.undo;
    this.undo = undefined;
    this.newest = undefined;
    if (!undo) return;
    for (const [visitId, mark] of undo) {
      if (mark === undefined) this.marks.delete(visitId);
      else this.marks.set(visitId, mark);
    }
  }

  /** The visit's mark, unless it is past the age limit: then it is forgotten. */
  private current(visitId: string, now: number): Mark | undefined {
    const mark = this.newest?.visitId === visitId ? this.newest.mark : this.marks.get(visitId);
    if (mark === undefined || now - mark.touched <= this.maxAgeMs) return mark;
    this.remember(visitId, mark);
    this.marks.delete(visitId);
    this.evicted++;
    this.newest = undefined;
    return undefined;
  }

  /** Updates the most recent mark in place: it is already last in the eviction order. */
  private refresh(mark: Mark, time: number, now: number, partition: number | undefined): void {
    if (time > mark.time) mark.time = time;
    mark.touched = now;
    if (partition !== undefined) mark.partition = partition;
  }

  /** Sets the visit's mark anew, as its most recent, from `mark` (its current one, if any). */
  private replace(visitId: string, mark: Mark | undefined, time: number, now: number, partition: number | undefined): void {
    const latest = mark === undefined ? time : Math.max(mark.time, time);
    this.remember(visitId, mark);
    if (mark !== undefined) this.marks.delete(visitId);
    const fresh: Mark = { time: latest, touched: now, partition: partition ?? mark?.partition };
    this.marks.set(visitId, fresh);
    this.newest = { visitId, mark: fresh };
    if (this.marks.size > this.maxVisits) this.evictOldest();
  }

  private remember(visitId: string, mark: Mark | undefined): void {
    if (this.undo && !this.undo.has(visitId)) this.undo.set(visitId, mark);
  }

  private evictOldest(): void {
    const oldest = this.marks.keys().next();
    if (!oldest.done) {
      if (this.newest?.visitId === oldest.value) this.newest = undefined;
      this.remember(oldest.value, this.marks.get(oldest.value));
      this.marks.delete(oldest.value);
      this.evicted++;
    }
  }
}

/** A mark with its visit, written out field by field: an object spread per visit cost more than the rest of changed(). */
function visitMark(visitId: string, mark: Mark): VisitMark {
  return { visitId, time: mark.time, touched: mark.touched, partition: mark.partition };
}
