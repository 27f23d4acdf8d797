/**
 * Worker threads worth starting for `bytes` of input: one per core up to 2, none below 32 MiB,
 * where starting them costs more than they save (break-even measured in bench/README.md).
 */
export declare function defaultWorkers(bytes: number): number;
