import { ParallelDeliveryLines } from './parallel/parallel-delivery-lines.js';
/**
 * The whole ordering job as one source stage: NDJSON rows in, delivery lines out, as chunks of
 * `{"delivery_batch":N,"key":…,"value":…}` lines, batch after batch. Worker threads parse,
 * validate and sort parts of the input into runs; one more merges them, bins the events and
 * formats the lines, so no event object reaches this thread. Pipe it to a file or stdout, or
 * to kafkaSink(), which reads the lines back into records. The CLI runs it on NDJSON input of
 * 32 MiB or more (or with --workers N); it writes the same bytes as parseRows → validateEvents
 * → sortEvents → (dedupeEvents →) binToNdjson, which the CLI runs on one thread.
 */
export function binPack({ input, workers = 'auto', ...options }) {
    const lines = new ParallelDeliveryLines(typeof input === 'string' ? [input] : input, { ...options, workers });
    const { source, validate, sort } = lines.progress;
    const progress = {
        source,
        validate,
        sort,
        get dedupe() {
            return lines.dedupeStats;
        },
        get bin() {
            return lines.binStats;
        },
        get lines() {
            return lines.stats;
        },
        get sortWorkers() {
            return lines.workerCount;
        },
    };
    return Object.assign(lines, { progress });
}
//# sourceMappingURL=bin-pack.js.map