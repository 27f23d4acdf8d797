import { describe, expect, it } from 'vitest';
import { ChunkPool } from '../../../src/stages/format/chunk-pool.js';

describe('ChunkPool', () => {
  it('hands released chunks out again by size, each with an ArrayBuffer of its own', () => {
    const pool = new ChunkPool();
    const a = pool.take(1024);
    const b = pool.take(4096);
    expect(a.buffer).not.toBe(b.buffer);
    expect(a.byteOffset).toBe(0);
    pool.release([a.subarray(0, 10), b]);
    expect(pool.take(4096).buffer).toBe(b.buffer);
    const again = pool.take(1024);
    expect(again.buffer).toBe(a.buffer);
    expect(again.length).toBe(1024);
    expect(pool.take(1024).buffer).not.toBe(a.buffer);
  });

  it('keeps at most a few MiB for reuse', () => {
    const pool = new ChunkPool();
    const chunks = Array.from({ length: 200 }, () => pool.take(64 * 1024));
    pool.release(chunks);
    const reused = Array.from({ length: 200 }, () => pool.take(64 * 1024)).filter((chunk) => chunks.some((c) => c.buffer === chunk.buffer));
    expect(reused.length).toBeGreaterThan(0);
    expect(reused.length * 64 * 1024).toBeLessThanOrEqual(4 * 1024 * 1024);
  });
});
