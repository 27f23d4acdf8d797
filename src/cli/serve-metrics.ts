import { logger } from './logger.js';
import type { HealthCheck, MetricsServer } from '../metrics/metrics-server.js';
import type { ConsumerState, RunCounts, RunMetrics } from '../metrics/run-metrics.js';
import { UsageError } from './args.js';

/**
 * --metrics-port: a run's metrics and their HTTP server, loaded only when asked for. A port
 * in use is the user's to change: a UsageError.
 */
export async function serveMetrics(
  port: number,
  counts: () => RunCounts,
  health: HealthCheck,
  consumer?: () => ConsumerState,
): Promise<{ metrics: RunMetrics; server: MetricsServer }> {
  const [{ RunMetrics }, { startMetricsServer }] = await Promise.all([import('../metrics/run-metrics.js'), import('../metrics/metrics-server.js')]);
  const metrics = new RunMetrics(counts, consumer);
  let server: MetricsServer;
  try {
    server = await startMetricsServer(port, metrics.registry, health);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') throw new UsageError(`--metrics-port ${port} cannot be used (${code}): name a free port, or 0 for any`);
    throw error;
  }
  logger.info({ metricsPort: server.port }, `metrics at http://localhost:${server.port}/metrics, health at /healthz`);
  return { metrics, server };
}
