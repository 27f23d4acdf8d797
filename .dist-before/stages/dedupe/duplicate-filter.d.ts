export interface DedupeStats {
    duplicates: number;
}
/**
 * Tells exact duplicates (same visit, same instant, same content) in a sorted stream, keeping
 * the first arrival. Sorted input puts duplicates next to each other, so only the contents of
 * one (visit, instant) are remembered at a time.
 */
export declare class DuplicateFilter {
    readonly stats: DedupeStats;
    private visitId;
    private time;
    private first;
    /** The group's other contents, once it has more than one. */
    private others;
    /** True when this event repeats one let through before (it is counted); false lets it through. */
    repeats(visitId: string, time: number, content: string): boolean;
}
