import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '../logger.js';

// kafkajs logs every failed request at error level, those it retries and those it hands back
// to the caller alike: a deleted topic gave a line per failed request before the sink's one
// line saying what failed. The sink and verify report failures and re-sends themselves, so kafkajs'
// errors are debug output here.
const LEVELS: Record<number, 'warn' | 'info' | 'debug'> = {
  [logLevel.ERROR]: 'debug',
  [logLevel.WARN]: 'warn',
  [logLevel.INFO]: 'info',
  [logLevel.DEBUG]: 'debug',
};

/** kafkajs' warning when its idempotent producer may not retry forever: the sink re-sends itself, and counts it. */
const LIMITED_RETRIES = /^Limiting retries for the idempotent producer/;

/** Routes kafkajs' own log lines into pino, so they stay JSON on stderr like everything else. */
export function pinoLogCreator(logger: Logger): logCreator {
  return () => ({ namespace, level, log }) => {
    let method = LEVELS[level];
    if (!method) return;
    const { message, ...extra } = log;
    if (LIMITED_RETRIES.test(message)) method = 'debug';
    logger[method]({ kafkajs: namespace, ...extra }, message);
  };
}

/** kafkajs' level for a pino level name: kafkajs' INFO chatter, and its errors (see LEVELS), stay out unless asked for. */
export function kafkajsLevel(pinoLevel: string): logLevel {
  switch (pinoLevel) {
    case 'trace':
    case 'debug':
      return logLevel.INFO;
    case 'silent':
      return logLevel.NOTHING;
    case 'fatal':
    case 'error':
      return logLevel.NOTHING;
    default:
      return logLevel.WARN;
  }
}
