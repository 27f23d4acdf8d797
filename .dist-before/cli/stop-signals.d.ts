/**
 * SIGINT and SIGTERM for a command: the first calls `stop` (finish what is in flight, then end),
 * a second calls `force`. A terminal's Ctrl-C can arrive twice within milliseconds, from the
 * terminal and from the launcher that passes signals on (cli/heap.ts): a repeat within 500 ms
 * is the same signal. `dispose` removes the handlers.
 */
export declare function onStopSignals(handlers: {
    stop: (signal: NodeJS.Signals) => void;
    force: (signal: NodeJS.Signals) => void;
}): {
    readonly signalled: NodeJS.Signals | undefined;
    dispose: () => void;
};
