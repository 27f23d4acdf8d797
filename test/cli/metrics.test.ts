import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DIST, metricsPort, runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'metrics-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('--metrics-port in a file run', () => {
  it('serves Prometheus metrics and a healthy /healthz while the run goes', async () => {
    const child = spawn(
      process.execPath,
      [DIST + 'pipe.js', '--metrics-port', '0', '--output', path.join(dir, 'out.ndjson'), '--dead-letter', path.join(dir, 'dead.ndjson')],
      { stdio: ['pipe', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c));
    // stdin stays open: the run is still going while it is scraped.
    child.stdin.write('{"visit_id":"a","event_time":"2024-01-01T00:00:00Z"}\n');
    const port = await metricsPort(() => stderr);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('ok\n');
    const metrics = await fetch(`http://127.0.0.1:${port}/metrics`);
    expect(metrics.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await metrics.text();
    for (const name of [
      'bin_packer_events_read_total',
      'bin_packer_events_delivered_total',
      'bin_packer_events_dead_lettered_total',
      'bin_packer_events_deduplicated_total',
      'bin_packer_delivery_batch_ack_seconds_bucket',
      'bin_packer_batches_in_flight',
      'bin_packer_process_cpu_seconds_total',
      'bin_packer_nodejs_heap_size_used_bytes',
    ]) {
      expect(text, name).toContain(`\n${name}`);
    }
    expect((await fetch(`http://127.0.0.1:${port}/nothing`)).status).toBe(404);
    child.stdin.end();
    expect(await new Promise((resolve) => child.on('close', resolve)), stderr).toBe(0);
  });

  it('refuses a port in use with one line and exit 2', async () => {
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, resolve));
    const { port } = busy.address() as { port: number };
    const result = await runCli('pipe.js', ['--metrics-port', String(port)], { input: '' });
    busy.close();
    expect(result.code, result.stderr).toBe(2);
    expect(result.stderr).toBe(`--metrics-port ${port} cannot be used (EADDRINUSE): name a free port, or 0 for any\n`);
  });
});
