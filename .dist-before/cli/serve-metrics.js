import { logger } from './logger.js';
import { UsageError } from './args.js';
/**
 * --metrics-port: a run's metrics and their HTTP server, loaded only when asked for. A port
 * in use is the user's to change: a UsageError.
 */
export async function serveMetrics(port, counts, health, consumer) {
    const [{ RunMetrics }, { startMetricsServer }] = await Promise.all([import('../metrics/run-metrics.js'), import('../metrics/metrics-server.js')]);
    const metrics = new RunMetrics(counts, consumer);
    let server;
    try {
        server = await startMetricsServer(port, metrics.registry, health);
    }
    catch (error) {
        const code = error.code;
        if (code === 'EADDRINUSE' || code === 'EACCES')
            throw new UsageError(`--metrics-port ${port} cannot be used (${code}): name a free port, or 0 for any`);
        throw error;
    }
    logger.info({ metricsPort: server.port }, `metrics at http://localhost:${server.port}/metrics, health at /healthz`);
    return { metrics, server };
}
//# sourceMappingURL=serve-metrics.js.map