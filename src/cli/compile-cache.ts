import { mkdirSync } from 'node:fs';
import module from 'node:module';
import path from 'node:path';
import { userCacheDir } from '../user-cache-dir.js';

/**
 * Turns on Node's on-disk cache of compiled modules (`module.enableCompileCache`), so that a
 * run does not compile the Kafka client and the pipeline afresh each time. The cache lives in
 * a directory of the user's own (`$XDG_CACHE_HOME/bin-packer` or `~/.cache/bin-packer`), not
 * in the shared temp directory Node picks by default. `NODE_COMPILE_CACHE` names another and
 * `NODE_DISABLE_COMPILE_CACHE=1` turns it off, as for any Node program. The relaunched
 * pipeline process and its worker threads inherit it through the environment. A cache that
 * cannot be set up is skipped: it only saves time.
 */
export function enableCompileCache(): void {
  // Node turns the cache off when this is set at all, even empty.
  if (typeof module.enableCompileCache !== 'function' || process.env.NODE_DISABLE_COMPILE_CACHE !== undefined) return;
  try {
    let directory = process.env.NODE_COMPILE_CACHE;
    if (!directory) {
      directory = path.join(userCacheDir(), 'compile-cache');
      mkdirSync(directory, { recursive: true, mode: 0o700 });
    }
    const enabled = module.enableCompileCache(directory);
    if (enabled.directory) process.env.NODE_COMPILE_CACHE = enabled.directory;
  } catch {
    // no home directory, a read-only one: run without the cache
  }
}
