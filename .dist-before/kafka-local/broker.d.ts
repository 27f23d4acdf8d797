export interface StartBrokerOptions {
    /** Apache Kafka release on Maven Central; default `KAFKA_VERSION` or 3.9.2. */
    version?: string;
    /** Max heap in MiB (default 512). */
    heapMb?: number;
    /** Give up when the broker does not answer metadata within this time (default 120 s). */
    startTimeoutMs?: number;
    /**
     * Leave the broker running after this process exits (the `kafka:start` command).
     * Otherwise a watchdog stops it and removes its directory if this process dies
     * without calling stop(), so a killed test run leaks nothing.
     */
    detached?: boolean;
    /** Broker log level for log4j (default WARN). */
    logLevel?: string;
}
export interface LocalKafkaBroker {
    /** `127.0.0.1:port`, for `KAFKA_BROKERS`. */
    brokers: string;
    pid: number;
    /** Private run directory: config, KRaft storage, logs. Removed by stop(). */
    dir: string;
    version: string;
    /** Stop the broker (SIGTERM, then SIGKILL after a grace period) and remove its directory. */
    stop(): Promise<void>;
    /** Stop the broker process and start it again on the same ports and data (for fault tests). */
    restart(options?: {
        downMs?: number;
    }): Promise<void>;
}
export declare function startKafkaBroker(options?: StartBrokerOptions): Promise<LocalKafkaBroker>;
/** Stops a broker started earlier (maybe by another process) and removes its directory (unless null). */
export declare function stopProcess(pid: number, dir: string | null, graceMs?: number): Promise<void>;
/** True while `pid` runs a Kafka broker, so a recycled pid is never signalled. */
export declare function isKafkaBrokerProcess(pid: number): boolean;
