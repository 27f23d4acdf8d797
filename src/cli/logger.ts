import { createLogger, type Logger } from '../logger.js';
import { UserFacingError } from '../user-facing-error.js';

/** The CLI's one logger, made when a command starts (the library itself creates none on import). */
export const logger: Logger = createLogger();

/**
 * Node's own warnings go through the logger, as JSON on stderr, instead of as plain text lines.
 * kafkajs 2.2.4 sets a timer from a timestamp on Node 24 (tulios/kafkajs#1751), which Node
 * clamps to 1 ms with a TimeoutNegativeWarning: harmless, so logged at debug level only.
 */
export function logProcessWarnings(): void {
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    const known = warning.name === 'TimeoutNegativeWarning' && /kafkajs/.test(warning.stack ?? '');
    logger[known ? 'debug' : 'warn']({ warning: { name: warning.name, message: warning.message } }, `Node warning: ${warning.name}`);
  });
}

/**
 * Logs why a command failed: a UserFacingError (a topic, the brokers, a full disk) as its message
 * alone, which says what to fix, with what caused it at debug level; anything else with the
 * error and its stack.
 */
export function logFailure(error: unknown, message: string, fields: Record<string, unknown> = {}): void {
  if (!(error instanceof UserFacingError)) {
    logger.error({ err: error, ...fields }, message);
    return;
  }
  if (error.cause !== undefined) logger.debug({ err: error.cause }, `what caused it: ${message}`);
  logger.error(fields, message);
}
