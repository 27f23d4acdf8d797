import { logLevel } from 'kafkajs';
const LEVELS = {
    [logLevel.ERROR]: 'error',
    [logLevel.WARN]: 'warn',
    [logLevel.INFO]: 'info',
    [logLevel.DEBUG]: 'debug',
};
/** Routes kafkajs' own log lines into pino, so they stay JSON on stderr like everything else. */
export function pinoLogCreator(logger) {
    return () => ({ namespace, level, log }) => {
        const method = LEVELS[level];
        if (!method)
            return;
        const { message, ...extra } = log;
        logger[method]({ kafkajs: namespace, ...extra }, message);
    };
}
/** kafkajs' level for a pino level name: kafkajs' INFO chatter stays out unless asked for. */
export function kafkajsLevel(pinoLevel) {
    switch (pinoLevel) {
        case 'trace':
        case 'debug':
            return logLevel.INFO;
        case 'silent':
            return logLevel.NOTHING;
        case 'fatal':
        case 'error':
            return logLevel.ERROR;
        default:
            return logLevel.WARN;
    }
}
//# sourceMappingURL=log-creator.js.map