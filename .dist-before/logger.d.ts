import { type Logger } from 'pino';
export type { Logger } from 'pino';
/**
 * The project's one logger: JSON lines on stderr, because stdout may carry data.
 * `LOG_LEVEL` sets the level (default `info`); `LOG_PRETTY=1` (or `pretty: true`)
 * switches to pino-pretty, still on stderr.
 */
export declare function createLogger(options?: {
    name?: string;
    level?: string;
    pretty?: boolean;
}): Logger;
