import { describe, expect, it } from 'vitest';
import { digest, OrderChecker, type DeliveredRecord } from '../../src/verify/order-checker.js';

let offset = 0;
function record(visit: string, time: string, batch: number, partition = 0, extra = ''): DeliveredRecord {
  return {
    partition,
    offset: String(offset++),
    key: visit,
    value: Buffer.from(JSON.stringify({ visit_id: visit, event_time: time, extra })),
    batch: String(batch),
  };
}

describe('OrderChecker', () => {
  it('counts records marked late instead of flagging them, and keeps checking the visit from its latest time', () => {
    const checker = new OrderChecker();
    checker.add(record('a', '2024-01-01T02:00:00Z', 1));
    checker.add({ ...record('a', '2024-01-01T01:00:00Z', 2), late: true });
    checker.add(record('a', '2024-01-01T01:30:00Z', 3));
    const report = checker.report();
    expect(report).toMatchObject({ late: 1, violations: 1, ok: false });
    expect(report.examples[0]).toMatchObject({ kind: 'time went back' });
    expect(report.examples[0]!.message).toContain('not greater or equal to 2024-01-01T02:00:00Z');
  });

  it('passes an ordered delivery and compares instants, not strings', () => {
    const checker = new OrderChecker();
    checker.add(record('a', '2024-01-01T05:00:00+02:00', 1));
    checker.add(record('b', '2024-01-01T00:00:00Z', 1, 1));
    checker.add(record('a', '2024-01-01T04:00:00+00:00', 2));
    expect(checker.report()).toMatchObject({ ok: true, records: 3, visits: 2, batches: 2, violations: 0, perPartition: { 0: 2, 1: 1 } });
  });

  it("reports each broken promise, in the seed reader's words for time", () => {
    const checker = new OrderChecker();
    checker.add(record('a', '2024-01-01T02:00:00Z', 1));
    checker.add(record('a', '2024-01-01T01:00:00Z', 2, 0, 'x'));
    checker.add(record('b', '2024-01-01T01:00:00Z', 3));
    checker.add(record('b', '2024-01-01T02:00:00Z', 3));
    checker.add(record('c', '2024-01-01T01:00:00Z', 4));
    checker.add(record('c', '2024-01-01T02:00:00Z', 2));
    checker.add(record('d', '2024-01-01T01:00:00Z', 1, 0));
    checker.add(record('d', '2024-01-01T02:00:00Z', 2, 3));
    checker.add({ ...record('e', '2024-01-01T01:00:00Z', 1), key: 'other' });
    checker.add({ partition: 0, offset: '99', key: null, value: Buffer.from('not json'), batch: '1' });
    const report = checker.report();
    expect(report.ok).toBe(false);
    expect(report.examples.map((v) => v.kind)).toEqual([
      'time went back',
      'visit twice in a batch',
      'batch not increasing',
      'visit on two partitions',
      'key is not visit_id',
      'bad record',
    ]);
    expect(report.examples[0]!.message).toBe('Event time error detected for a // 2024-01-01T01:00:00Z not greater or equal to 2024-01-01T02:00:00Z');
  });

  it('counts repeats of the same bytes as duplicates, and with expectations requires exactly once', () => {
    const a1 = record('a', '2024-01-01T01:00:00Z', 1);
    const a2 = record('a', '2024-01-01T02:00:00Z', 2);
    const missing = record('z', '2024-01-01T02:00:00Z', 1);
    const expected = new Map([a1, a2, missing].map((r) => [digest(r.value), 1]));
    const checker = new OrderChecker(expected);
    checker.add(a1);
    checker.add(a2);
    checker.add({ ...a2, offset: 'again' });
    checker.add(record('stranger', '2024-01-01T02:00:00Z', 1));
    const report = checker.report();
    expect(report).toMatchObject({ duplicates: 1, missing: 1, unexpected: 1, ok: false });
    // Without expectations a retry's duplicate is counted but breaks no order promise.
    const lenient = new OrderChecker();
    [a1, a2, { ...a2, offset: 'again' }].forEach((r) => lenient.add(r));
    expect(lenient.report()).toMatchObject({ duplicates: 1, violations: 0, ok: true });
  });
});
