import { createLogger, type Logger } from '../logger.js';

/** The CLI's one logger, made when a command starts (the library itself creates none on import). */
export const logger: Logger = createLogger();
