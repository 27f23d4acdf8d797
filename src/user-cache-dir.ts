import os from 'node:os';
import path from 'node:path';

/** bin-packer's own cache directory (Kafka classpaths, compiled modules): `$XDG_CACHE_HOME/bin-packer` or `~/.cache/bin-packer`. */
export function userCacheDir(): string {
  // The XDG spec treats an empty XDG_CACHE_HOME as unset.
  return path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'bin-packer');
}
