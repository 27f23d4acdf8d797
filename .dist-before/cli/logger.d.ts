import { type Logger } from '../logger.js';
/** The CLI's one logger, made when a command starts (the library itself creates none on import). */
export declare const logger: Logger;
/**
 * Node's own warnings go through the logger, as JSON on stderr, instead of as plain text lines.
 * kafkajs 2.2.4 sets a timer from a timestamp on Node 24 (tulios/kafkajs#1751), which Node
 * clamps to 1 ms with a TimeoutNegativeWarning: harmless, so logged at debug level only.
 */
export declare function logProcessWarnings(): void;
