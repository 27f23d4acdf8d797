import type { HealthCheck, MetricsServer } from '../metrics/metrics-server.js';
import type { ConsumerState, RunCounts, RunMetrics } from '../metrics/run-metrics.js';
/**
 * --metrics-port: a run's metrics and their HTTP server, loaded only when asked for. A port
 * in use is the user's to change: a UsageError.
 */
export declare function serveMetrics(port: number, counts: () => RunCounts, health: HealthCheck, consumer?: () => ConsumerState): Promise<{
    metrics: RunMetrics;
    server: MetricsServer;
}>;
