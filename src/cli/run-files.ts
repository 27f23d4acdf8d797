import { accessSync, constants, fstatSync, readdirSync, realpathSync, renameSync, rmSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../temp/stale-dirs.js';
import { UsageError } from './args.js';
import { UserFacingError } from '../user-facing-error.js';

/** A file the run reads or writes, named as the user named it. */
export interface NamedFile {
  option: string;
  path: string;
  /** Written under a temporary name beside it and renamed onto it (OutputFile): its directory must take new files. */
  replaced?: boolean;
}

/** The files and directories a file run uses, as its command line names them. */
export interface RunFiles {
  inputs: string[];
  /** --output and --dead-letter, when the run writes them. */
  outputs: NamedFile[];
  tempDir?: string | undefined;
}

/**
 * Checks, before anything is opened, that the run can read its inputs, write its outputs and
 * make its temp files, so that a user's mistake is one line naming the option and the file
 * (a UsageError), not an error from deep inside the run.
 */
export function checkRunFiles(files: RunFiles): void {
  for (const input of files.inputs) {
    if (input === '-') continue;
    const stats = statOrUndefined(input);
    if (!stats) throw new UsageError(`cannot read input file ${input}: it does not exist`);
    if (stats.isDirectory()) throw new UsageError(`input ${input} is a directory: name the files in it`);
    if (!accessible(input, constants.R_OK)) throw new UsageError(`cannot read input file ${input}: permission denied`);
  }
  for (const output of files.outputs) {
    const stats = statOrUndefined(output.path);
    if (stats?.isDirectory()) throw new UsageError(`${output.option} ${output.path} is a directory: name a file in it`);
    if (stats && !accessible(output.path, constants.W_OK)) throw new UsageError(`${output.option} ${output.path} is not writable: permission denied`);
    const parent = path.dirname(path.resolve(output.path));
    if (!statOrUndefined(parent)?.isDirectory()) throw new UsageError(`${output.option} ${output.path}: the directory ${parent} does not exist`);
    const createsFile = !stats || (output.replaced === true && stats.isFile());
    if (createsFile && !accessible(parent, constants.W_OK))
      throw new UsageError(`${output.option} ${output.path}: cannot create files in ${parent}: permission denied`);
  }
  refuseSharedFiles(files.inputs, files.outputs);
  if (files.tempDir !== undefined) {
    const stats = statOrUndefined(files.tempDir);
    if (!stats) throw new UsageError(`--temp-dir ${files.tempDir} does not exist: create it or name another directory`);
    if (!stats.isDirectory()) throw new UsageError(`--temp-dir ${files.tempDir} is not a directory`);
    if (!accessible(files.tempDir, constants.W_OK | constants.X_OK)) throw new UsageError(`--temp-dir ${files.tempDir} is not writable: permission denied`);
  }
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function accessible(file: string, mode: number): boolean {
  try {
    accessSync(file, mode);
    return true;
  } catch {
    return false;
  }
}

/**
 * Refuses a run whose output or dead-letter file is the same file as an input or as the other
 * output, before anything is opened for writing (opening one for writing would truncate it).
 * Files are compared by device and inode, so hard links, symlinks and `./` spellings all match;
 * a file that does not exist yet is compared by its resolved path. stdin (`-`) counts as the
 * file it was redirected from.
 */
function refuseSharedFiles(inputs: string[], outputs: NamedFile[]): void {
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
  const stats = statOrUndefined(file);
  return stats && `inode:${stats.dev}:${stats.ino}`;
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

const TEMP_MARK = '.bin-packer-';

/** Temporary names beside `target` left by runs killed outright: their pid is in the name. */
function removeStaleTemporaries(target: string): void {
  const prefix = `${path.basename(target)}${TEMP_MARK}`;
  let names: string[];
  try {
    names = readdirSync(path.dirname(target));
  } catch {
    return;
  }
  for (const name of names) {
    const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -4)) : NaN;
    if (Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid)) rmSync(path.join(path.dirname(target), name), { force: true });
  }
}

/**
 * Where `--output FILE` is written: a temporary name beside FILE, renamed onto it only when the
 * run succeeds (as `sort -o` users expect), so a failed or interrupted run never leaves a
 * truncated file posing as a result. Devices, FIFOs and the like are written in place. What a
 * run killed outright left beside FILE goes when the next run writes FILE.
 */
export class OutputFile {
  readonly writePath: string;
  private readonly replaced: boolean;

  constructor(readonly path: string) {
    const stats = statOrUndefined(path);
    this.replaced = !stats || stats.isFile();
    const target = resolvedPath(path);
    this.writePath = this.replaced ? `${target}${TEMP_MARK}${process.pid}.tmp` : path;
    if (this.replaced) removeStaleTemporaries(target);
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

/** A write the output refused (a full disk, say), named by the output: the --output file, or stdout. */
export function explainOutputFailure(error: Error, output: string | undefined): UserFacingError {
  return new UserFacingError(`cannot write ${output === undefined ? 'stdout' : `the --output file ${output}`}: ${error.message}`, { cause: error });
}

/** Errors of a file system that has no room left. */
const DISK_FULL = new Set(['ENOSPC', 'EDQUOT']);

/**
 * A run's failure as the user should read it: a full disk that is neither the output's nor the
 * dead-letter file's (those name themselves) was met writing temp files in the run directory,
 * so it names the directory they go in; anything else is returned as it is.
 */
export function explainTempFailure(error: unknown, runDir: string): unknown {
  if (error instanceof UserFacingError || !DISK_FULL.has((error as NodeJS.ErrnoException | undefined)?.code ?? '')) return error;
  const where = path.dirname(runDir);
  return new UserFacingError(`cannot write temp files in ${where}: ${(error as Error).message}; free space there, or name a larger disk with --temp-dir`, {
    cause: error,
  });
}
