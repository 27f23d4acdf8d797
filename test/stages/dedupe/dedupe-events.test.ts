import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { describe, expect, it } from 'vitest';
import type { VisitEvent } from '../../../src/events.js';
import { dedupeEvents } from '../../../src/stages/dedupe/dedupe-events.js';
import { event } from '../../helpers/events.js';

describe('dedupeEvents', () => {
  it('drops only exact duplicates of (visit, instant, bytes), keeping the first arrival', async () => {
    const input = [event('a', 1, 0, 'x'), event('a', 1, 1, 'y'), event('a', 1, 2, 'x'), event('a', 2, 3, 'x'), event('b', 2, 4, 'x'), event('b', 2, 5, 'x')];
    const out: VisitEvent[] = [];
    const dedupe = dedupeEvents();
    await pipeline(Readable.from(input), dedupe, new Writable({ objectMode: true, write: (e, _, cb) => (out.push(e), cb()) }));
    expect(out.map((e) => e.seq)).toEqual([0, 1, 3, 4]);
    expect(dedupe.stats.duplicates).toBe(2);
  });
});
