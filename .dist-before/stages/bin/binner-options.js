/** Counts before any event is placed. */
export function emptyBinStats() {
    return { events: 0, visits: 0, longestVisit: 0, batches: 0, closedEarly: 0, lowerBound: 0 };
}
export const DEFAULT_MAX_BATCH_RECORDS = 2_000;
export const DEFAULT_MAX_BATCH_BYTES = 16 * 1024 * 1024;
export const DEFAULT_MAX_BUFFERED_BYTES = 32 * 1024 * 1024;
//# sourceMappingURL=binner-options.js.map