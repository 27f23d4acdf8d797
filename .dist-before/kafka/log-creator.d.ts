import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../logger.js';
/** Routes kafkajs' own log lines into pino, so they stay JSON on stderr like everything else. */
export declare function pinoLogCreator(logger: Logger): logCreator;
/** kafkajs' level for a pino level name: kafkajs' INFO chatter stays out unless asked for. */
export declare function kafkajsLevel(pinoLevel: string): logLevel;
