import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

/** Whether the run is healthy now, and if not, why. */
export type HealthCheck = () => { healthy: true } | { healthy: false; reason: string };

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Serves Prometheus' text format at /metrics and a health probe at /healthz (200 "ok", or 503
 * with the reason) on `port` (0: any free port), on every interface, as exporters do.
 */
export async function startMetricsServer(port: number, registry: Registry, health: HealthCheck): Promise<MetricsServer> {
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
    } else if (url.pathname === '/metrics') {
      registry.metrics().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: Error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
      );
    } else if (url.pathname === '/healthz') {
      const state = health();
      response.writeHead(state.healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(state.healthy ? 'ok\n' : `${state.reason}\n`);
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics or /healthz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  // Scrapes must not keep a finished run alive.
  server.unref();
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // A scraper's keep-alive connection must not hold the close open.
        server.closeAllConnections();
      }),
  };
}
