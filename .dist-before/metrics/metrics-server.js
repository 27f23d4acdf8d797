import { createServer } from 'node:http';
/**
 * Serves Prometheus' text format at /metrics and a health probe at /healthz (200 "ok", or 503
 * with the reason) on `port` (0: any free port), on every interface, as exporters do.
 */
export async function startMetricsServer(port, registry, health) {
    const server = createServer((request, response) => {
        const url = new URL(request.url ?? '/', 'http://localhost');
        if (request.method !== 'GET' && request.method !== 'HEAD') {
            response.writeHead(405, { allow: 'GET, HEAD' }).end();
        }
        else if (url.pathname === '/metrics') {
            registry.metrics().then((text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text), (error) => response.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`));
        }
        else if (url.pathname === '/healthz') {
            const state = health();
            response.writeHead(state.healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(state.healthy ? 'ok\n' : `${state.reason}\n`);
        }
        else {
            response.writeHead(404, { 'content-type': 'text/plain' }).end('try /metrics or /healthz\n');
        }
    });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, () => resolve());
    });
    // Scrapes must not keep a finished run alive.
    server.unref();
    return {
        port: server.address().port,
        close: () => new Promise((resolve) => {
            server.close(() => resolve());
            // A scraper's keep-alive connection must not hold the close open.
            server.closeAllConnections();
        }),
    };
}
//# sourceMappingURL=metrics-server.js.map