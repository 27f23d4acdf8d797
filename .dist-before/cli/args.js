/** A bad command line: the CLI prints the message and its usage, and exits 2. */
export class UsageError extends Error {
    name = 'UsageError';
}
/** Our own usage errors and node:util parseArgs' (unknown option, missing value, ...). */
export function isUsageError(error) {
    return error instanceof UsageError || Boolean(error?.code?.startsWith('ERR_PARSE_ARGS'));
}
export function parseCount(name, raw, fallback) {
    if (raw === undefined) {
        if (fallback === undefined)
            throw new UsageError(`--${name} is required`);
        return fallback;
    }
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(value) || value < 0)
        throw new UsageError(`--${name} must be a non-negative integer, got "${raw}"`);
    return value;
}
/** A count of at least 1 (partitions, threads, ...). */
export function positiveCount(name, raw, fallback) {
    const value = parseCount(name, raw, fallback);
    if (value < 1)
        throw new UsageError(`--${name} must be at least 1, got "${raw}"`);
    return value;
}
/** A probability: 0.01 or 1%. */
export function parseFraction(name, raw, fallback = 0) {
    if (raw === undefined)
        return fallback;
    const value = raw.endsWith('%') ? Number(raw.slice(0, -1)) / 100 : Number(raw);
    if (!Number.isFinite(value) || value < 0 || value > 1)
        throw new UsageError(`--${name} must be a fraction in [0, 1] (or a percentage), got "${raw}"`);
    return value;
}
export function parseChoice(name, raw, choices, fallback) {
    if (raw === undefined)
        return fallback;
    if (!choices.includes(raw))
        throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${raw}"`);
    return raw;
}
/** Sizes like 64MiB, 512k, 1GB or plain bytes. */
export function parseBytes(name, raw, fallback) {
    if (raw === undefined)
        return fallback;
    const match = /^(\d+(?:\.\d+)?)\s*([kmg]?)(i?b)?$/i.exec(raw.trim());
    if (!match)
        throw new UsageError(`--${name} must be a size like 64MiB or 1048576, got "${raw}"`);
    const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[match[2].toLowerCase()];
    return Math.floor(Number(match[1]) * scale);
}
/** True for the error a closed stdout (`| head`) raises: the run ends quietly, not as a failure. */
export function isBrokenPipe(error) {
    return error?.code === 'EPIPE';
}
/**
 * parseArgs takes `--sort-memory -5` for an option with a missing value followed by an option
 * `-5`, and calls it "ambiguous". Joining a dash-digit value to its string option lets the
 * option's own check say what is wrong with the value.
 */
export function joinNegativeValues(argv, options) {
    const joined = [];
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        const next = argv[i + 1];
        if (next !== undefined && /^-\d/.test(next) && arg.startsWith('--') && options[arg.slice(2)]?.type === 'string') {
            joined.push(`${arg}=${next}`);
            i++;
        }
        else {
            joined.push(arg);
        }
    }
    return joined;
}
//# sourceMappingURL=args.js.map