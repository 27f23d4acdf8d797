// CRC-32C (Castagnoli) of a record batch, with @node-rs/crc32's native function called on the
// bytes where they lie. @platformatic/kafka exports the same function behind a copy of its
// input (`new Uint8Array(data)`), which cost more than the checksum itself (bench/README.md).
// Where the native module cannot load, the client's own fallback.
import { crc32c as clientCrc32c } from '@platformatic/kafka';
import { createRequire } from 'node:module';
import type { Crc32c } from './record-batch.js';

function nativeCrc32c(): Crc32c | undefined {
  try {
    const require = createRequire(import.meta.url);
    const native = (require('@node-rs/crc32') as { crc32c(input: Uint8Array): number }).crc32c;
    return (bytes) => native(bytes);
  } catch {
    return undefined;
  }
}

export const crc32c: Crc32c = nativeCrc32c() ?? (clientCrc32c as Crc32c);
