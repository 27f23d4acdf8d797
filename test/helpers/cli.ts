import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const DIST = fileURLToPath(new URL('../../dist/', import.meta.url));

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs one of the built CLIs (`npm test` builds first) and collects its output. */
export function runCli(script: string, args: string[], options: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [DIST + script, ...args], {
      env: { ...process.env, ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

/** The port a run logged it serves metrics on. */
export async function metricsPort(stderr: () => string, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /"metricsPort":(\d+)/.exec(stderr());
    if (match) return Number(match[1]);
    if (Date.now() > deadline) throw new Error(`no metrics port logged: ${stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The summary a CLI run logs with its "run complete" line on stderr. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function runSummary(stderr: string): any {
  return JSON.parse(
    stderr
      .trim()
      .split('\n')
      .find((line) => line.includes('"run complete"'))!,
  ).summary;
}
