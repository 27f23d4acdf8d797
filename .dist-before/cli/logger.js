import { createLogger } from '../logger.js';
/** The CLI's one logger, made when a command starts (the library itself creates none on import). */
export const logger = createLogger();
/**
 * Node's own warnings go through the logger, as JSON on stderr, instead of as plain text lines.
 * kafkajs 2.2.4 sets a timer from a timestamp on Node 24 (tulios/kafkajs#1751), which Node
 * clamps to 1 ms with a TimeoutNegativeWarning: harmless, so logged at debug level only.
 */
export function logProcessWarnings() {
    process.removeAllListeners('warning');
    process.on('warning', (warning) => {
        const known = warning.name === 'TimeoutNegativeWarning' && /kafkajs/.test(warning.stack ?? '');
        logger[known ? 'debug' : 'warn']({ warning: { name: warning.name, message: warning.message } }, `Node warning: ${warning.name}`);
    });
}
//# sourceMappingURL=logger.js.map