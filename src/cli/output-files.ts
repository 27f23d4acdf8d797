import { fstatSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { UsageError } from './args.js';

/** A file the run reads or writes, named as the user named it. */
export interface NamedFile {
  option: string;
  path: string;
}

/**
 * Refuses a run whose output or dead-letter file is the same file as an input or as the other
 * output, before anything is opened for writing (opening one for writing would truncate it).
 * Files are compared by device and inode, so hard links, symlinks and `./` spellings all match;
 * a file that does not exist yet is compared by its resolved path. stdin (`-`) counts as the
 * file it was redirected from.
 */
export function refuseSharedFiles(inputs: string[], outputs: NamedFile[]): void {
  const seen: { file: NamedFile; identity: string }[] = [];
  for (const input of inputs) {
    const identity = input === '-' ? stdinIdentity() : fileIdentity(input);
    if (identity) seen.push({ file: { option: 'input', path: input === '-' ? 'stdin' : input }, identity });
  }
  for (const output of outputs) {
    const identity = fileIdentity(output.path) ?? `path:${resolvedPath(output.path)}`;
    const clash = seen.find((earlier) => earlier.identity === identity);
    if (clash) {
      const what = clash.file.option === 'input' ? `the input ${clash.file.path}` : `the ${clash.file.option} file ${clash.file.path}`;
      throw new UsageError(`${output.option} ${output.path} is the same file as ${what}: writing it would destroy it; name another file`);
    }
    seen.push({ file: output, identity });
  }
}

function fileIdentity(file: string): string | undefined {
  let stats: Stats;
  try {
    stats = statSync(file);
  } catch {
    return undefined;
  }
  return `inode:${stats.dev}:${stats.ino}`;
}

function stdinIdentity(): string | undefined {
  try {
    const stats = fstatSync(0);
    return stats.isFile() ? `inode:${stats.dev}:${stats.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/** The absolute path a file that does not exist yet would get: its directory with links resolved. */
function resolvedPath(file: string): string {
  const absolute = path.resolve(file);
  try {
    return path.join(realpathSync(path.dirname(absolute)), path.basename(absolute));
  } catch {
    return absolute;
  }
}

/**
 * Where `--output FILE` is written: a temporary name beside FILE, renamed onto it only when the
 * run succeeds (as `sort -o` users expect), so a failed or interrupted run never leaves a
 * truncated file posing as a result. Devices, FIFOs and the like are written in place.
 */
export class OutputFile {
  readonly writePath: string;
  private readonly replaced: boolean;

  constructor(readonly path: string) {
    let stats: Stats | undefined;
    try {
      stats = statSync(path);
    } catch {
      stats = undefined;
    }
    this.replaced = !stats || stats.isFile();
    this.writePath = this.replaced ? `${resolvedPath(path)}.bin-packer-${process.pid}.tmp` : path;
  }

  /** Puts the finished file in place. */
  commit(): void {
    if (this.replaced) renameSync(this.writePath, resolvedPath(this.path));
  }

  /** Removes what a failed run wrote; the file it would have replaced is untouched. */
  discard(): void {
    if (this.replaced) rmSync(this.writePath, { force: true });
  }
}
