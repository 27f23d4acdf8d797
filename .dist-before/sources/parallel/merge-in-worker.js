import { Worker } from 'node:worker_threads';
const WORKER_FILE = new URL('./merge-worker.js', import.meta.url);
/** Messages of lines (256 KiB or more) the worker may send ahead of what this thread took. */
const MAX_QUEUED = 4;
/** The merge holds 8 MiB of run read blocks and the open batches' lines, both off its heap. */
const WORKER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 16 };
/**
 * The final merge of sorted runs into delivery lines (MergeToNdjson), run on a worker thread
 * (merge-worker.ts) so that this thread only hands the lines on: merging, binning and
 * formatting then use one core while writing the output uses the other. take() gives the
 * next lines in order; the worker waits while MAX_QUEUED of its messages are untaken.
 */
export class MergeInWorker {
    options;
    worker;
    queue = [];
    finished = false;
    failed = false;
    /** take() found nothing before the end: onLines is owed. */
    waiting = false;
    signal;
    constructor(runs, counts, options) {
        this.options = options;
        const shared = new SharedArrayBuffer(8);
        this.signal = new Int32Array(shared);
        const data = {
            runs,
            tempDir: options.tempDir,
            ...(options.fanIn !== undefined && { fanIn: options.fanIn }),
            ...(options.bin !== undefined && { bin: options.bin }),
            dedupe: options.dedupe ?? false,
            maxQueued: MAX_QUEUED,
            signal: shared,
        };
        this.worker = new Worker(WORKER_FILE, { workerData: data, resourceLimits: WORKER_LIMITS });
        this.worker.on('message', (message) => {
            if (message.type === 'merging') {
                options.onMerging?.(message.stats);
                return;
            }
            Object.assign(counts.stats, message.stats);
            Object.assign(counts.binStats, message.binStats);
            if (message.type === 'lines') {
                this.queue.push(message.chunks.map((chunk) => Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)));
            }
            else {
                Object.assign(counts.dedupeStats, message.dedupeStats);
                this.finished = true;
            }
            if (this.waiting) {
                this.waiting = false;
                options.onLines();
            }
        });
        this.worker.once('error', (error) => this.fail(error));
        this.worker.once('exit', (code) => {
            if (!this.finished)
                this.fail(new Error(`merge worker exited (code ${code}) before the merge ended`));
        });
    }
    /** True once every line has been taken. */
    get ended() {
        return this.finished && this.queue.length === 0;
    }
    /** The next chunks of lines, in order, or undefined when none is here yet (or, see `ended`, at the end). */
    take() {
        const chunks = this.queue.shift();
        if (chunks === undefined) {
            this.waiting = !this.finished && !this.failed;
            return undefined;
        }
        Atomics.add(this.signal, 0, 1);
        Atomics.notify(this.signal, 0);
        return chunks;
    }
    /**
     * Tells the worker to stop (an abort, or a failure downstream): one waiting for this thread
     * wakes and throws. The caller still terminates `worker`, and removes tempDir once it has exited.
     */
    stop() {
        this.failed = true;
        Atomics.store(this.signal, 1, 1);
        Atomics.notify(this.signal, 0);
    }
    fail(error) {
        if (this.failed)
            return;
        this.failed = true;
        this.queue.length = 0;
        this.options.onError(error);
    }
}
//# sourceMappingURL=merge-in-worker.js.map