/**
 * SIGINT and SIGTERM for a command: the first calls `stop` (finish what is in flight, then end),
 * a second calls `force`. A terminal's Ctrl-C can arrive twice within milliseconds, from the
 * terminal and from the launcher that passes signals on (cli/heap.ts): a repeat within 500 ms
 * is the same signal. `dispose` removes the handlers.
 */
export function onStopSignals(handlers) {
    let signalled;
    let signalledAt = 0;
    const onSignal = (signal) => {
        if (signalled) {
            if (Date.now() - signalledAt >= 500)
                handlers.force(signal);
            return;
        }
        signalled = signal;
        signalledAt = Date.now();
        handlers.stop(signal);
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return {
        get signalled() {
            return signalled;
        },
        dispose() {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
        },
    };
}
//# sourceMappingURL=stop-signals.js.map