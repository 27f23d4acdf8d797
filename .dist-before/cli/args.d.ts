/** A bad command line: the CLI prints the message and its usage, and exits 2. */
export declare class UsageError extends Error {
    name: string;
}
/** Our own usage errors and node:util parseArgs' (unknown option, missing value, ...). */
export declare function isUsageError(error: unknown): error is Error;
export declare function parseCount(name: string, raw: string | undefined, fallback?: number): number;
/** A count of at least 1 (partitions, threads, ...). */
export declare function positiveCount(name: string, raw: string | undefined, fallback?: number): number;
/** A probability: 0.01 or 1%. */
export declare function parseFraction(name: string, raw: string | undefined, fallback?: number): number;
export declare function parseChoice<T extends string>(name: string, raw: string | undefined, choices: readonly T[], fallback: T): T;
/** Sizes like 64MiB, 512k, 1GB or plain bytes. */
export declare function parseBytes(name: string, raw: string | undefined, fallback: number): number;
/** True for the error a closed stdout (`| head`) raises: the run ends quietly, not as a failure. */
export declare function isBrokenPipe(error: unknown): boolean;
/**
 * parseArgs takes `--sort-memory -5` for an option with a missing value followed by an option
 * `-5`, and calls it "ambiguous". Joining a dash-digit value to its string option lets the
 * option's own check say what is wrong with the value.
 */
export declare function joinNegativeValues(argv: string[], options: Record<string, {
    type: 'string' | 'boolean';
}>): string[];
