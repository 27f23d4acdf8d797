import { describe, expect, it } from 'vitest';
import { heapFlags } from '../../src/cli/heap.js';

const budgets = { sortMemory: 64 * 1024 * 1024, maxBatchBytes: 8 * 1024 * 1024 };

describe('heapFlags', () => {
  it('lets a streaming heap grow to twice its live set between full collections, and leaves file runs to V8', () => {
    expect(heapFlags({ ...budgets, streaming: { lateStateVisits: 100_000 } })).toContain('--heap-growing-percent=100');
    for (const flags of [heapFlags(budgets), heapFlags({ ...budgets, kafka: { client: 'platformatic' } })]) {
      expect(flags.some((flag) => flag.startsWith('--heap-growing-percent'))).toBe(false);
    }
  });

  it('gives a young generation of 1 MiB, 2 MiB when kafkajs holds records in flight on the main thread, 8 MiB for streaming', () => {
    const semiSpace = (flags: string[]) => Number(/--max-semi-space-size=(\d+)/.exec(flags.join(' '))?.[1]);
    expect(semiSpace(heapFlags(budgets))).toBe(1);
    expect(semiSpace(heapFlags({ ...budgets, kafka: { client: 'platformatic' } }))).toBe(1);
    expect(semiSpace(heapFlags({ ...budgets, kafka: { client: 'kafkajs' } }))).toBe(2);
    expect(semiSpace(heapFlags({ ...budgets, streaming: { lateStateVisits: 1 } }))).toBe(8);
  });

  it('sizes old space from the budgets, with room for the late-event state in streaming runs', () => {
    const oldSpace = (flags: string[]) => Number(/--max-old-space-size=(\d+)/.exec(flags.join(' '))?.[1]);
    const file = oldSpace(heapFlags(budgets));
    expect(file).toBeGreaterThanOrEqual(128);
    expect(oldSpace(heapFlags({ ...budgets, sortMemory: 512 * 1024 * 1024 }))).toBeGreaterThan(512);
    expect(oldSpace(heapFlags({ ...budgets, streaming: { lateStateVisits: 1_000_000 } }))).toBeGreaterThan(file + 150);
  });
});
