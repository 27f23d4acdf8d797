export interface DedupeStats {
  duplicates: number;
}

/**
 * Tells exact duplicates (same visit, same instant, same content) in a sorted stream, keeping
 * the first arrival. Sorted input puts duplicates next to each other, so only the contents of
 * one (visit, instant) are remembered at a time.
 */
export class DuplicateFilter {
  readonly stats: DedupeStats = { duplicates: 0 };
  private visitId: string | undefined;
  private time = Number.NaN;
  private first = '';
  /** The group's other contents, once it has more than one. */
  private others: Set<string> | undefined;

  /** True when this event repeats one let through before (it is counted); false lets it through. */
  repeats(visitId: string, time: number, content: string): boolean {
    if (visitId !== this.visitId || time !== this.time) {
      this.visitId = visitId;
      this.time = time;
      this.first = content;
      this.others = undefined;
      return false;
    }
    if (content === this.first || this.others?.has(content)) {
      this.stats.duplicates++;
      return true;
    }
    (this.others ??= new Set()).add(content);
    return false;
  }
}
