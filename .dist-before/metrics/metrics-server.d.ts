import type { Registry } from 'prom-client';
/** Whether the run is healthy now, and if not, why. */
export type HealthCheck = () => {
    healthy: true;
} | {
    healthy: false;
    reason: string;
};
export interface MetricsServer {
    readonly port: number;
    close(): Promise<void>;
}
/**
 * Serves Prometheus' text format at /metrics and a health probe at /healthz (200 "ok", or 503
 * with the reason) on `port` (0: any free port), on every interface, as exporters do.
 */
export declare function startMetricsServer(port: number, registry: Registry, health: HealthCheck): Promise<MetricsServer>;
