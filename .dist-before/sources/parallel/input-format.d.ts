import { type InputFormat } from '../../stages/parse/row-splitter.js';
/**
 * True when `paths` can be split among workers: regular files of NDJSON (by `format`, or for
 * `auto` by their first non-space byte not being `[`), or stdin alone (spooled first). JSON
 * array files, and several inputs that include stdin, are read by one thread.
 */
export declare function canSortInParallel(paths: string[], format?: InputFormat): boolean;
export declare function isStdinAlone(paths: readonly string[]): boolean;
/** The input's first byte that is not JSON whitespace (after a byte order mark): `[` is a JSON array. */
export declare function firstNonSpaceByte(file: string): number | undefined;
