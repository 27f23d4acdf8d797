import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'compile-cache-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SAMPLE = path.join(import.meta.dirname, '../../fixtures/visits-sample.ndjson');
// The runs below choose their own settings (Node reads either variable when it is set at all, even empty).
delete process.env.NODE_COMPILE_CACHE;
delete process.env.NODE_DISABLE_COMPILE_CACHE;

/** Files in a compile cache directory (Node keeps one subdirectory per Node version and flags). */
function cachedModules(cacheDir: string): number {
  if (!existsSync(cacheDir)) return 0;
  return readdirSync(cacheDir, { recursive: true }).filter((entry) => statSync(path.join(cacheDir, String(entry))).isFile()).length;
}

describe("Node's compile cache", () => {
  it('is kept in a private directory under $XDG_CACHE_HOME/bin-packer, and a run from it writes the same bytes', async () => {
    const home = path.join(dir, 'xdg');
    const expected = await runCli('pipe.js', [SAMPLE], { env: { NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: home } });
    expect(existsSync(home)).toBe(false);
    const first = await runCli('pipe.js', [SAMPLE], { env: { XDG_CACHE_HOME: home } });
    const cache = path.join(home, 'bin-packer', 'compile-cache');
    expect(first.code, first.stderr).toBe(0);
    expect(statSync(cache).mode & 0o777).toBe(0o700);
    // The launcher's modules, and the relaunched pipeline process's and its workers' (through the environment).
    expect(cachedModules(cache)).toBeGreaterThan(70);
    const second = await runCli('pipe.js', [SAMPLE], { env: { XDG_CACHE_HOME: home } });
    expect(second.code, second.stderr).toBe(0);
    expect(first.stdout).toBe(expected.stdout);
    expect(second.stdout).toBe(expected.stdout);
  });

  it('serves verify.js too', async () => {
    const home = path.join(dir, 'xdg-verify');
    const result = await runCli('verify.js', ['--help'], { env: { XDG_CACHE_HOME: home } });
    expect(result.code, result.stderr).toBe(0);
    expect(cachedModules(path.join(home, 'bin-packer', 'compile-cache'))).toBeGreaterThan(5);
  });

  it('goes where NODE_COMPILE_CACHE says', async () => {
    const home = path.join(dir, 'xdg-unused');
    const chosen = path.join(dir, 'chosen');
    const result = await runCli('pipe.js', [SAMPLE], { env: { XDG_CACHE_HOME: home, NODE_COMPILE_CACHE: chosen } });
    expect(result.code, result.stderr).toBe(0);
    expect(cachedModules(chosen)).toBeGreaterThan(70);
    expect(existsSync(home)).toBe(false);
  });

  it('that cannot be set up is skipped: the run goes on', async () => {
    const notADirectory = path.join(dir, 'a-file');
    writeFileSync(notADirectory, '');
    const result = await runCli('pipe.js', [SAMPLE], { env: { XDG_CACHE_HOME: notADirectory } });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n')).toHaveLength(36);
    expect(result.stderr).not.toMatch(/compile|ENOTDIR/i);
  });
});
