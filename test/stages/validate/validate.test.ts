import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { eventInstant } from '../../../src/stages/validate/event-time.js';
import { toVisitEvent } from '../../../src/stages/validate/validate-row.js';

const row = (value: unknown) => ({ text: JSON.stringify(value), value, position: { source: 's', line: 1, offset: 0 } });

describe('eventInstant', () => {
  it('compares offsets as instants', () => {
    expect(eventInstant('2024-01-01T05:00:00+02:00')).toBeLessThan(eventInstant('2024-01-01T04:00:00+00:00') as number);
    expect(eventInstant('2024-01-01T02:56:00+00:00')).toBe(Date.UTC(2024, 0, 1, 2, 56));
    expect(eventInstant('2024-01-01T02:56:00Z')).toBe(Date.UTC(2024, 0, 1, 2, 56));
    expect(eventInstant('2023-12-31T23:26:00-03:30')).toBe(Date.UTC(2024, 0, 1, 2, 56));
    expect(eventInstant('2024-01-01T08:26+0530')).toBe(Date.UTC(2024, 0, 1, 2, 56));
    expect(eventInstant('2024-01-01T02:56:00.123456+00:00')).toBeCloseTo(Date.UTC(2024, 0, 1, 2, 56) + 123.456, 3);
    expect(eventInstant(1704077760000)).toBe(1704077760000);
    expect(eventInstant('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
  });

  it('reads the common layout digit by digit exactly as the full parser does', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(
        fc.constantFrom('0000', '0050', '1600', '1900', '1970', '2000', '2023', '2024', '2100', '9999'),
        two(13),
        two(32),
        two(25),
        two(61),
        two(61),
        fc.constantFrom('Z', 'z', '+00:00', '-03:30', '+05:45', '+23:59', '+24:00', '-00:60', '+0530', '+05', ''),
      )
      .map(([y, mo, d, h, mi, s, offset]) => `${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
    const corrupted = fc.tuple(stamp, fc.nat(), fc.constantFrom('x', '-', ':', ' ', '1', 'T', '+')).map(([text, at, c]) => {
      const i = at % text.length;
      return text.slice(0, i) + c + text.slice(i + 1);
    });
    fc.assert(
      fc.property(fc.oneof(stamp, corrupted), (text) => {
        const instant = eventInstant(text);
        // A lowercase t is valid ISO-8601 but outside the common layout: the full parser reads it.
        const full = text.length > 10 && text[10] === 'T' ? eventInstant(`${text.slice(0, 10)}t${text.slice(11)}`) : instant;
        expect(typeof instant).toBe(typeof full);
        if (typeof instant === 'number') {
          expect(instant).toBe(full);
          const iso = `${text.slice(0, 10)}T${text.slice(11)}`;
          expect(instant).toBe(
            Date.parse(
              iso
                .replace(/([+-]\d\d)(\d\d)$/, '$1:$2')
                .replace(/z$/, 'Z')
                .replace(/([+-]\d\d)$/, '$1:00'),
            ),
          );
        }
      }),
      { numRuns: 2000 },
    );
    expect(eventInstant('0050-03-01T00:00:00Z')).toBe(Date.parse('0050-03-01T00:00:00Z'));
    expect(eventInstant('0050-03-01t00:00:00.5Z')).toBe(Date.parse('0050-03-01T00:00:00.500Z'));
  });

  it('names what is wrong', () => {
    expect(eventInstant(undefined)).toBe('missing event_time');
    expect(eventInstant(null)).toMatch(/got null/);
    expect(eventInstant(true)).toMatch(/got boolean/);
    expect(eventInstant('2024-01-01T02:56:00')).toMatch(/no UTC offset/);
    expect(eventInstant('yesterday')).toMatch(/not an ISO-8601/);
    expect(eventInstant('2023-02-29T00:00:00Z')).toMatch(/no such date/);
    expect(eventInstant('2024-13-01T00:00:00Z')).toMatch(/no such date/);
    expect(eventInstant('2024-01-01T24:00:00Z')).toMatch(/no such time/);
    expect(eventInstant('2024-01-01T00:00:00+25:00')).toMatch(/invalid offset/);
    expect(eventInstant(Number.NaN)).toMatch(/finite/);
  });
});

describe('toVisitEvent', () => {
  it('keeps the id, the instant, the arrival number and the exact text', () => {
    const r = {
      text: '{"visit_id": "v1",  "event_time": "2024-01-01T00:00:00+01:00"}',
      value: { visit_id: 'v1', event_time: '2024-01-01T00:00:00+01:00' },
      position: { source: 's', offset: 0 },
    };
    expect(toVisitEvent(r, 7)).toEqual({ visitId: 'v1', time: Date.UTC(2023, 11, 31, 23), seq: 7, text: r.text });
  });

  it('rejects rows that are not events', () => {
    expect(toVisitEvent(row([1]), 0)).toBe('row is not a JSON object (got an array)');
    expect(toVisitEvent(row(5), 0)).toBe('row is not a JSON object (got number)');
    expect(toVisitEvent(row(null), 0)).toBe('row is not a JSON object (got null)');
    expect(toVisitEvent(row({ event_time: '2024-01-01T00:00:00Z' }), 0)).toBe('missing visit_id');
    expect(toVisitEvent(row({ visit_id: 12, event_time: '2024-01-01T00:00:00Z' }), 0)).toBe('visit_id must be a string, got number');
    expect(toVisitEvent(row({ visit_id: '', event_time: '2024-01-01T00:00:00Z' }), 0)).toBe('visit_id is empty');
    expect(toVisitEvent(row({ visit_id: 'v' }), 0)).toBe('missing event_time');
  });
});
