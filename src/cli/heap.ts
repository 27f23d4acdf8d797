import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { DEFAULT_MAX_BUFFERED_BYTES } from '../stages/bin/binner.js';
import { createTempDir, removeTempDir } from '../temp/temp-dirs.js';

const MiB = 1024 * 1024;
/** Heap per visit remembered by streaming mode's late-event state (bench/README.md). */
const LATE_STATE_BYTES_PER_VISIT = 160;
const RELAUNCHED = 'BIN_PACKER_HEAP_SET';
/** Streaming: old space may grow to twice the live set before a full collection. */
const STREAMING_HEAP_GROWING_PERCENT = 100;
/**
 * glibc's malloc arenas for the relaunched child, unless the user chose: with one arena per
 * thread (up to 8 per core), memory that the sort workers and the merge worker freed stays in
 * their arenas, and a 1M-event Kafka run peaked 10-20 MiB higher at no gain in speed (bench/README.md).
 */
const MALLOC_ARENAS = '2';
/** The run directory a launcher made for its child; see relaunchWithHeap. */
export const RUN_DIR_ENV = 'BIN_PACKER_RUN_DIR';

/**
 * V8 flags that keep the heap near what the run's budgets need. V8 otherwise lets old space
 * grow to several times the live set before collecting, and a heap limit can only be set when the process starts.
 * Live set: the sort buffer while reading, or the binner's open batches plus one batch in
 * delivery while merging (texts plus ~30% object overhead), plus streaming mode's late-event
 * state, with 60% headroom for the GC. Young generation: Node 24's grows with the semi-space
 * size; the smallest that costs no speed keeps RSS down: 1 MiB for file runs and Kafka runs
 * on @platformatic/kafka (their records arrive encoded from the merge's thread), 2 MiB for
 * kafkajs, whose records in flight live for a round trip on this thread, 8 MiB for streaming,
 * which allocates several objects per event on the main thread (bench/README.md).
 */
export function heapFlags(budgets: {
  sortMemory: number;
  maxBatchBytes: number;
  streaming?: { lateStateVisits: number } | undefined;
  kafka?: { client: string } | undefined;
}): string[] {
  const lateState = (budgets.streaming?.lateStateVisits ?? 0) * LATE_STATE_BYTES_PER_VISIT;
  const live = Math.max(budgets.sortMemory, 1.3 * (DEFAULT_MAX_BUFFERED_BYTES + budgets.maxBatchBytes)) + lateState + 16 * MiB;
  const oldSpaceMiB = Math.max(128, Math.ceil((1.6 * live) / MiB));
  const flags = [`--max-old-space-size=${oldSpaceMiB}`, `--max-semi-space-size=${budgets.streaming ? 8 : budgets.kafka?.client === 'kafkajs' ? 2 : 1}`];
  // Streaming keeps a micro-batch's events and the late-event state on the heap. Below 256 MiB
  // of old space V8 collects once it is 1.3× the live set: every ~150 ms here, with the
  // collector's threads marking the same live set each time (bench/README.md).
  if (budgets.streaming) flags.push(`--heap-growing-percent=${STREAMING_HEAP_GROWING_PERCENT}`);
  return flags;
}

/**
 * In a relaunched child: exit as soon as the launcher is gone, however it ended (SIGKILL
 * included), so that no file run keeps writing and no streaming instance stays in its group
 * after the caller saw the process it started end. The launcher owned the run directory, so
 * the child removes it. The channel closes when the launcher dies, and is unref'd so that it
 * never keeps the child alive by itself.
 */
export function exitWithLauncher(): void {
  if (!process.env[RELAUNCHED] || !process.channel) return;
  process.channel.unref();
  const exit = () => {
    const runDir = process.env[RUN_DIR_ENV];
    if (runDir) rmSync(runDir, { recursive: true, force: true });
    process.exit(137);
  };
  // The launcher may have died while this process was still starting.
  if (!process.connected) exit();
  process.once('disconnect', exit);
}

/** True when the user (execArgv or NODE_OPTIONS) or an earlier launch already chose the heap. */
export function heapAlreadySet(): boolean {
  if (process.env[RELAUNCHED]) return true;
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  return given.some((flag) => /^--max[-_]old[-_]space[-_]size/.test(flag));
}

/**
 * Runs this script again in a child Node with `flags`, stdio shared, and resolves to its exit
 * code. Signals sent to the parent are passed on. A terminal's Ctrl-C reaches both processes
 * (one process group), so the child sees it twice at once and treats the repeat as one.
 * The parent makes the run directory (inside `tempParent`) and removes it when the child ends,
 * however it ends: a child killed by V8's out-of-memory abort or SIGKILL cleans up nothing.
 */
export function relaunchWithHeap(flags: string[], script: string, args: string[], tempParent?: string): Promise<number> {
  const runDir = createTempDir(tempParent, 'bin-packer-run-');
  const child = spawn(process.execPath, [...process.execArgv, ...flags, script, ...args], {
    // The IPC channel is how the child learns that this launcher died (exitWithLauncher).
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { MALLOC_ARENA_MAX: MALLOC_ARENAS, ...process.env, [RELAUNCHED]: '1', [RUN_DIR_ENV]: runDir },
  });
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGTERM', forward);
  process.on('SIGINT', forward);
  return new Promise((resolve, reject) => {
    child.once('error', (error) => {
      removeTempDir(runDir);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      process.off('SIGTERM', forward);
      process.off('SIGINT', forward);
      removeTempDir(runDir);
      const exitCode = code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1);
      if (code === null && signal !== 'SIGINT' && signal !== 'SIGTERM') {
        // Loaded only now: the launcher stays light (see src/pipe.ts).
        void import('./logger.js').then(
          ({ logger }) => {
            logger.error(
              { signal, heap: flags },
              `the pipeline process died (${signal}); if it ran out of heap, set a larger --max-old-space-size in NODE_OPTIONS`,
            );
            resolve(exitCode);
          },
          () => resolve(exitCode),
        );
        return;
      }
      resolve(exitCode);
    });
  });
}
