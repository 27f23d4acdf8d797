import { accessSync, constants, fstatSync, readdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../temp/stale-dirs.js';
import { UsageError } from './args.js';
/**
 * Checks, before anything is opened, that the run can read its inputs, write its outputs and
 * make its temp files, so that a user's mistake is one line naming the option and the file
 * (a UsageError), not an error from deep inside the run.
 */
export function checkRunFiles(files) {
    for (const input of files.inputs) {
        if (input === '-')
            continue;
        const stats = statOrUndefined(input);
        if (!stats)
            throw new UsageError(`cannot read input file ${input}: it does not exist`);
        if (stats.isDirectory())
            throw new UsageError(`input ${input} is a directory: name the files in it`);
        if (!accessible(input, constants.R_OK))
            throw new UsageError(`cannot read input file ${input}: permission denied`);
    }
    for (const output of files.outputs) {
        const stats = statOrUndefined(output.path);
        if (stats?.isDirectory())
            throw new UsageError(`${output.option} ${output.path} is a directory: name a file in it`);
        if (stats && !accessible(output.path, constants.W_OK))
            throw new UsageError(`${output.option} ${output.path} is not writable: permission denied`);
        const parent = path.dirname(path.resolve(output.path));
        if (!statOrUndefined(parent)?.isDirectory())
            throw new UsageError(`${output.option} ${output.path}: the directory ${parent} does not exist`);
        const createsFile = !stats || (output.replaced === true && stats.isFile());
        if (createsFile && !accessible(parent, constants.W_OK))
            throw new UsageError(`${output.option} ${output.path}: cannot create files in ${parent}: permission denied`);
    }
    refuseSharedFiles(files.inputs, files.outputs);
    if (files.tempDir !== undefined) {
        const stats = statOrUndefined(files.tempDir);
        if (!stats)
            throw new UsageError(`--temp-dir ${files.tempDir} does not exist: create it or name another directory`);
        if (!stats.isDirectory())
            throw new UsageError(`--temp-dir ${files.tempDir} is not a directory`);
        if (!accessible(files.tempDir, constants.W_OK | constants.X_OK))
            throw new UsageError(`--temp-dir ${files.tempDir} is not writable: permission denied`);
    }
}
function statOrUndefined(file) {
    try {
        return statSync(file);
    }
    catch {
        return undefined;
    }
}
function accessible(file, mode) {
    try {
        accessSync(file, mode);
        return true;
    }
    catch {
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
function refuseSharedFiles(inputs, outputs) {
    const seen = [];
    for (const input of inputs) {
        const identity = input === '-' ? stdinIdentity() : fileIdentity(input);
        if (identity)
            seen.push({ file: { option: 'input', path: input === '-' ? 'stdin' : input }, identity });
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
function fileIdentity(file) {
    const stats = statOrUndefined(file);
    return stats && `inode:${stats.dev}:${stats.ino}`;
}
function stdinIdentity() {
    try {
        const stats = fstatSync(0);
        return stats.isFile() ? `inode:${stats.dev}:${stats.ino}` : undefined;
    }
    catch {
        return undefined;
    }
}
/** The absolute path a file that does not exist yet would get: its directory with links resolved. */
function resolvedPath(file) {
    const absolute = path.resolve(file);
    try {
        return path.join(realpathSync(path.dirname(absolute)), path.basename(absolute));
    }
    catch {
        return absolute;
    }
}
const TEMP_MARK = '.bin-packer-';
/** Temporary names beside `target` left by runs killed outright: their pid is in the name. */
function removeStaleTemporaries(target) {
    const prefix = `${path.basename(target)}${TEMP_MARK}`;
    let names;
    try {
        names = readdirSync(path.dirname(target));
    }
    catch {
        return;
    }
    for (const name of names) {
        const pid = name.startsWith(prefix) && name.endsWith('.tmp') ? Number(name.slice(prefix.length, -4)) : NaN;
        if (Number.isSafeInteger(pid) && pid > 0 && !isAlive(pid))
            rmSync(path.join(path.dirname(target), name), { force: true });
    }
}
/**
 * Where `--output FILE` is written: a temporary name beside FILE, renamed onto it only when the
 * run succeeds (as `sort -o` users expect), so a failed or interrupted run never leaves a
 * truncated file posing as a result. Devices, FIFOs and the like are written in place. What a
 * run killed outright left beside FILE goes when the next run writes FILE.
 */
export class OutputFile {
    path;
    writePath;
    replaced;
    constructor(path) {
        this.path = path;
        const stats = statOrUndefined(path);
        this.replaced = !stats || stats.isFile();
        const target = resolvedPath(path);
        this.writePath = this.replaced ? `${target}${TEMP_MARK}${process.pid}.tmp` : path;
        if (this.replaced)
            removeStaleTemporaries(target);
    }
    /** Puts the finished file in place. */
    commit() {
        if (this.replaced)
            renameSync(this.writePath, resolvedPath(this.path));
    }
    /** Removes what a failed run wrote; the file it would have replaced is untouched. */
    discard() {
        if (this.replaced)
            rmSync(this.writePath, { force: true });
    }
}
//# sourceMappingURL=run-files.js.map