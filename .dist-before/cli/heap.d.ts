/** The run directory a launcher made for its child; see relaunchWithHeap. */
export declare const RUN_DIR_ENV = "BIN_PACKER_RUN_DIR";
/**
 * V8 flags that keep the heap near what the run's budgets need. V8 otherwise lets old space
 * grow to several times the live set before collecting, and a heap limit can only be set when the process starts.
 * Live set: the sort buffer while reading, or the binner's open batches plus one batch in
 * delivery while merging (texts plus ~30% object overhead), plus streaming mode's late-event
 * state, with 60% headroom for the GC. Young generation: Node 24's grows with the semi-space
 * size; the smallest that costs no speed keeps RSS down: 1 MiB for file runs, 2 MiB for Kafka
 * runs, whose records in flight live for a round trip, 8 MiB for streaming, which allocates
 * several objects per event on the main thread (bench/README.md).
 */
export declare function heapFlags(budgets: {
    sortMemory: number;
    maxBatchBytes: number;
    streaming?: {
        lateStateVisits: number;
    } | undefined;
    kafka?: unknown;
}): string[];
/**
 * In a relaunched child: exit as soon as the launcher is gone, however it ended (SIGKILL
 * included), so that no file run keeps writing and no streaming instance stays in its group
 * after the caller saw the process it started end. The launcher owned the run directory, so
 * the child removes it. The channel closes when the launcher dies, and is unref'd so that it
 * never keeps the child alive by itself.
 */
export declare function exitWithLauncher(): void;
/** True when the user (execArgv or NODE_OPTIONS) or an earlier launch already chose the heap. */
export declare function heapAlreadySet(): boolean;
/**
 * Runs this script again in a child Node with `flags`, stdio shared, and resolves to its exit
 * code. Signals sent to the parent are passed on. A terminal's Ctrl-C reaches both processes
 * (one process group), so the child sees it twice at once and treats the repeat as one.
 * The parent makes the run directory (inside `tempParent`) and removes it when the child ends,
 * however it ends: a child killed by V8's out-of-memory abort or SIGKILL cleans up nothing.
 */
export declare function relaunchWithHeap(flags: string[], script: string, args: string[], tempParent?: string): Promise<number>;
