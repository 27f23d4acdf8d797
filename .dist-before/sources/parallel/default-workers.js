import os from 'node:os';
/**
 * Worker threads worth starting for `bytes` of input: one per core up to 2, none below 32 MiB,
 * where starting them costs more than they save (break-even measured in bench/README.md).
 */
export function defaultWorkers(bytes) {
    return bytes >= 32 * 1024 * 1024 ? Math.min(2, os.availableParallelism()) : 1;
}
//# sourceMappingURL=default-workers.js.map