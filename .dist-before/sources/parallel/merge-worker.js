// Worker thread of the parallel sort's phase two: merges the sorted runs (taking any extra
// passes first), bins the records and formats their delivery lines (MergeToNdjson), and sends
// the lines to the main thread, which only writes them out.
import { parentPort, workerData } from 'node:worker_threads';
import { MergeToNdjson } from '../../stages/format/merge-to-ndjson.js';
import { ExternalSorter } from '../../stages/sort/external-sorter.js';
/** Lines go out once this many bytes are ready (or at the end), not per batch: a batch may hold a few records. */
const MESSAGE_BYTES = 256 * 1024;
function mergeToLines(data, post) {
    const signal = new Int32Array(data.signal);
    const sorter = new ExternalSorter({ tempDir: data.tempDir, ...(data.fanIn !== undefined && { fanIn: data.fanIn }) });
    try {
        sorter.adoptRuns(data.runs);
        const merge = sorter.mergeRuns(true);
        const { spilledRuns, spilledBytes, extraMergePasses } = sorter.stats;
        post({ type: 'merging', stats: { spilledRuns, spilledBytes, extraMergePasses } });
        const lines = new MergeToNdjson(data.bin, data.dedupe);
        let chunks = [];
        let bytes = 0;
        let sent = 0;
        const push = (chunk) => {
            chunks.push(chunk);
            bytes += chunk.length;
        };
        for (;;) {
            const more = lines.step(merge, push);
            if (chunks.length > 0 && (bytes >= MESSAGE_BYTES || !more)) {
                // Backpressure: wait while the main thread has maxQueued messages it has not taken.
                for (let taken = Atomics.load(signal, 0); sent - taken >= data.maxQueued; taken = Atomics.load(signal, 0)) {
                    if (Atomics.load(signal, 1) !== 0)
                        throw new Error('merge stopped by the main thread');
                    Atomics.wait(signal, 0, taken);
                }
                // Each chunk has an ArrayBuffer of its own (LinePacker's chunks are too large for Buffer's pool).
                post({ type: 'lines', chunks, stats: lines.stats, binStats: lines.binStats }, chunks.map((chunk) => chunk.buffer));
                sent++;
                chunks = [];
                bytes = 0;
            }
            if (!more)
                break;
        }
        sorter.finishMerge();
        post({ type: 'end', stats: lines.stats, binStats: lines.binStats, dedupeStats: lines.dedupeStats });
    }
    finally {
        sorter.cleanup();
    }
}
if (parentPort)
    mergeToLines(workerData, (message, transfer) => parentPort.postMessage(message, transfer));
//# sourceMappingURL=merge-worker.js.map