/**
 * Tells exact duplicates (same visit, same instant, same content) in a sorted stream, keeping
 * the first arrival. Sorted input puts duplicates next to each other, so only the contents of
 * one (visit, instant) are remembered at a time.
 */
export class DuplicateFilter {
    stats = { duplicates: 0 };
    visitId;
    time = Number.NaN;
    first = '';
    /** The group's other contents, once it has more than one. */
    others;
    /** True when this event repeats one let through before (it is counted); false lets it through. */
    repeats(visitId, time, content) {
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
//# sourceMappingURL=duplicate-filter.js.map