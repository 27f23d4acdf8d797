import { createRequire } from 'node:module';
import pino, {} from 'pino';
// pino loads a transport by path in a worker; resolved here, it is this package's pino-pretty.
const require = createRequire(import.meta.url);
/**
 * The project's one logger: JSON lines on stderr, because stdout may carry data.
 * `LOG_LEVEL` sets the level (default `info`); `LOG_PRETTY=1` (or `pretty: true`)
 * switches to pino-pretty, still on stderr.
 */
export function createLogger(options = {}) {
    const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
    const pretty = options.pretty ?? isTruthy(process.env.LOG_PRETTY);
    const base = {
        level,
        name: options.name ?? 'bin-packer',
        // Credentials may ride along in client configs that get logged on error paths.
        redact: {
            paths: ['password', '*.password', 'sasl.password', '*.sasl.password', 'ssl.key', '*.ssl.key'],
            censor: '[redacted]',
        },
    };
    if (pretty) {
        return pino({
            ...base,
            transport: { target: require.resolve('pino-pretty'), options: { destination: 2, colorize: process.stderr.isTTY } },
        });
    }
    return pino(base, pino.destination({ dest: 2, sync: true }));
}
function isTruthy(value) {
    return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}
//# sourceMappingURL=logger.js.map