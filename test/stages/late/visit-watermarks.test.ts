import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { VisitWatermarks } from '../../../src/stages/late/visit-watermarks.js';

describe('VisitWatermarks', () => {
  it('observe() answers and records as latest() then record() do, whatever came before', () => {
    const op = fc.oneof(
      fc.tuple(fc.constant('observe' as const), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 50 }), fc.option(fc.nat(3), { nil: undefined })),
      fc.tuple(fc.constant('tick' as const), fc.integer({ min: 0, max: 60 })),
      fc.constantFrom(['begin'] as const, ['commit'] as const, ['rollback'] as const, ['expire'] as const),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 120 }), (maxVisits, ops) => {
        let now = 0;
        const options = { maxVisits, maxAgeMs: 100, now: () => now };
        const observed = new VisitWatermarks(options);
        const reference = new VisitWatermarks(options);
        for (const [name, a, b, c] of ops) {
          if (name === 'observe') {
            const visit = `v${a}`;
            const latest = reference.latest(visit);
            const late = latest !== undefined && b! < latest ? latest : undefined;
            if (late === undefined) reference.record(visit, b!, c);
            expect(observed.observe(visit, b!, c)).toBe(late);
          } else if (name === 'tick') {
            now += a;
          } else if (name === 'expire') {
            expect(observed.expire()).toEqual(reference.expire());
          } else {
            observed[name]();
            reference[name]();
          }
          expect([observed.size, observed.evicted, observed.changed()]).toEqual([reference.size, reference.evicted, reference.changed()]);
        }
        for (let n = 0; n <= 6; n++) expect(observed.latest(`v${n}`)).toBe(reference.latest(`v${n}`));
      }),
      { numRuns: 500 },
    );
  });

  it('remembers the latest instant per visit, never a lower one', () => {
    const marks = new VisitWatermarks();
    marks.record('a', 10);
    marks.record('a', 5);
    marks.record('b', 7);
    expect(marks.latest('a')).toBe(10);
    expect(marks.latest('b')).toBe(7);
    expect(marks.latest('c')).toBeUndefined();
  });

  it('forgets the least recently delivered visit beyond the size limit', () => {
    const marks = new VisitWatermarks({ maxVisits: 2 });
    marks.record('a', 1);
    marks.record('b', 1);
    marks.record('a', 2); // a is now the most recent
    marks.record('c', 1);
    expect(marks.latest('b')).toBeUndefined();
    expect(marks.latest('a')).toBe(2);
    expect(marks.size).toBe(2);
    expect(marks.evicted).toBe(1);
  });

  it('forgets visits past the age limit, on lookup and on expire()', () => {
    let now = 0;
    const marks = new VisitWatermarks({ maxAgeMs: 100, now: () => now });
    marks.record('a', 1);
    now = 50;
    marks.record('b', 1);
    now = 120;
    marks.expire();
    expect(marks.size).toBe(1);
    expect(marks.latest('b')).toBe(1);
    now = 151;
    expect(marks.latest('b')).toBeUndefined();
    expect(marks.evicted).toBe(2);
  });

  it('behaves like a least-recently-delivered cache of maxVisits visits', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 100 })), { maxLength: 200 }),
        (maxVisits, updates) => {
          const marks = new VisitWatermarks({ maxVisits });
          // The model: visits in recency order, oldest first.
          let model: [string, number][] = [];
          for (const [n, time] of updates) {
            const visit = `v${n}`;
            const previous = model.find(([v]) => v === visit)?.[1] ?? -Infinity;
            model = [...model.filter(([v]) => v !== visit), [visit, Math.max(previous, time)]];
            if (model.length > maxVisits) model.shift();
            marks.record(visit, time);
            expect(marks.size).toBe(model.length);
          }
          for (let n = 0; n <= 20; n++) expect(marks.latest(`v${n}`)).toBe(model.find(([v]) => v === `v${n}`)?.[1]);
        },
      ),
    );
  });
});

describe('VisitWatermarks change (exactly-once micro-batches)', () => {
  it('rollback restores every mark the change touched, made, moved or evicted; commit keeps them', () => {
    const marks = new VisitWatermarks({ maxVisits: 2 });
    marks.record('a', 10);
    marks.record('b', 20);
    marks.begin();
    marks.record('a', 15);
    marks.record('c', 5); // evicts b
    expect([marks.latest('a'), marks.latest('b'), marks.latest('c')]).toEqual([15, undefined, 5]);
    marks.rollback();
    expect([marks.latest('a'), marks.latest('b'), marks.latest('c')]).toEqual([10, 20, undefined]);
    marks.begin();
    marks.record('a', 30);
    marks.commit();
    marks.rollback();
    expect(marks.latest('a')).toBe(30);
  });

  it('rollback() returns every mark to where the change found it, for any mix of runs of one visit and others', () => {
    const step = fc.oneof(
      fc.tuple(fc.constant('record' as const), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 100 }), fc.integer({ min: 1, max: 4 })),
      fc.constant(['begin'] as const),
      fc.constant(['commit'] as const),
      fc.constant(['rollback'] as const),
    );
    fc.assert(
      // Room for every visit: recency after a rollback is not promised, so evictions after one
      // could differ from the model's (the example above covers evictions inside a change).
      fc.property(fc.array(step, { maxLength: 80 }), (steps) => {
        const maxVisits = 6;
        const marks = new VisitWatermarks({ maxVisits });
        // The model: visits in recency order, oldest first, and the state when the change began.
        let model: [string, number][] = [];
        let saved: [string, number][] | undefined;
        for (const [kind, n, time, repeat] of steps) {
          if (kind === 'begin') {
            marks.begin();
            saved = model;
          } else if (kind === 'commit') {
            marks.commit();
            saved = undefined;
          } else if (kind === 'rollback') {
            marks.rollback();
            if (saved) model = saved;
            saved = undefined;
          } else {
            // A run of events of one visit, as the sorted stream brings them.
            for (let i = 0; i < repeat!; i++) {
              const visit = `v${n}`;
              const previous = model.find(([v]) => v === visit)?.[1] ?? -Infinity;
              model = [...model.filter(([v]) => v !== visit), [visit, Math.max(previous, time! - i)]];
              if (model.length > maxVisits) model.shift();
              marks.record(visit, time! - i);
            }
          }
          const expected = Object.fromEntries(model);
          for (let v = 0; v <= 5; v++) expect(marks.latest(`v${v}`), `v${v}`).toBe(expected[`v${v}`]);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('VisitWatermarks and the late-state changelog', () => {
  it('changed() lists the marks a change set, with their input partition; expire() returns what the TTL forgot', () => {
    let now = 1000;
    const marks = new VisitWatermarks({ maxAgeMs: 100, now: () => now });
    marks.record('old', 5, 1);
    now = 1050;
    marks.begin();
    marks.record('a', 10, 0);
    marks.record('a', 7, 0);
    marks.record('b', 20, 3);
    expect(marks.changed()).toEqual([
      { visitId: 'a', time: 10, touched: 1050, partition: 0 },
      { visitId: 'b', time: 20, touched: 1050, partition: 3 },
    ]);
    marks.commit();
    now = 1120;
    expect(marks.expire()).toEqual([{ visitId: 'old', time: 5, touched: 1000, partition: 1 }]);
  });

  it('restore() keeps the newer mark, skips marks past the age limit, and forget() drops a visit', () => {
    let now = 10_000;
    const marks = new VisitWatermarks({ maxAgeMs: 1000, now: () => now });
    marks.record('a', 50, 0);
    marks.restore({ visitId: 'a', time: 40, touched: 9_900, partition: 0 });
    marks.restore({ visitId: 'b', time: 40, touched: 9_900, partition: 0 });
    marks.restore({ visitId: 'c', time: 40, touched: 8_000, partition: 0 });
    marks.restore({ visitId: 'd', time: 40, touched: 9_900, partition: 0 });
    marks.forget('d');
    expect([marks.latest('a'), marks.latest('b'), marks.latest('c'), marks.latest('d')]).toEqual([50, 40, undefined, undefined]);
    now = 10_950;
    expect(marks.latest('b')).toBeUndefined();
  });
});
