import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanEventFields } from '../../../src/stages/parse/scan-event-fields.js';
import { anyJson, corrupt, eventObject, object } from '../../helpers/json-rows.js';

/** What the scanner must give: the fields per JSON.parse, or undefined where it must decline. */
function expected(bytes: Buffer): { visitId: string; eventTime: string | number } | undefined {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { visit_id: visitId, event_time: eventTime } = value as Record<string, unknown>;
  if (typeof visitId !== 'string' || visitId === '' || (typeof eventTime !== 'string' && typeof eventTime !== 'number')) return undefined;
  return { visitId, eventTime };
}

const bytesOf = (text: string) => Buffer.from(text, 'utf8');

describe('scanEventFields', () => {
  it('accepts only what JSON.parse accepts, and gives the same visit_id and event_time', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          object,
          eventObject,
          corrupt,
          corrupt,
          anyJson.map((v) => JSON.stringify(v)),
        ),
        (text) => {
          const bytes = bytesOf(text);
          const scanned = scanEventFields(bytes);
          const wanted = expected(bytes);
          if (scanned !== undefined) expect(scanned).toEqual(wanted);
          // Declining a valid event is allowed only for an escaped key (JSON.parse then reads it).
          if (wanted !== undefined && scanned === undefined) expect(text).toContain('\\');
        },
      ),
      { numRuns: 5000 },
    );
  });

  it("reads the generated events and the seed's example", () => {
    const row =
      '{"visit_id": "140177386105728_1", "event_time": "2024-01-01T02:56:00+00:00", "user_id": "u", "keep_private": false, "page": "main", "context": {"referral": null, "ad_id": "ad 5", "user": {"ip": "1.2.3.4", "latency": [1.5e-3, -0, 12]}}}';
    expect(scanEventFields(bytesOf(row))).toEqual({ visitId: '140177386105728_1', eventTime: '2024-01-01T02:56:00+00:00' });
    expect(scanEventFields(bytesOf('{"event_time":1,"visit_id":"a","visit_id":"b"}'))).toEqual({ visitId: 'b', eventTime: 1 });
    expect(scanEventFields(bytesOf('{"visit_id":"a\\"b\\u00e9","event_time":"x"}'))).toEqual({ visitId: 'a"bé', eventTime: 'x' });
  });

  it('declines what is not JSON or not an event', () => {
    for (const text of [
      '',
      '{',
      '{}',
      '[]',
      '"x"',
      '{"visit_id":"a","event_time":1}x',
      '{"visit_id":"a","event_time":01}',
      '{"visit_id":"a","event_time":1,}',
      '{"visit_id":"a","event_time":"\t"}',
      '{"visit_id":1,"event_time":1}',
      '{"visit_id":"","event_time":1}',
      '{"visit_id":"a"}',
      '{"visit_id":"a","event_time":null}',
      '{"visit_id":"a","event_time":1,"x":[1,]}',
      '{"visit_id":"a","event_time":1,"x":tru}',
      ...[
        '1e.5',
        '1.',
        '-',
        '.5',
        '+1',
        '1e',
        '1e+',
        '00',
        '-01',
        '0x1',
        'NaN',
        '"\\u12g4"',
        '"\\x"',
        '"a\\"',
        'true1',
        '[1 2]',
        '{"a" 1}',
        '{"a":1 "b":2}',
        '{1:2}',
      ].map((v) => `{"visit_id":"a","event_time":1,"x":${v}}`),
    ]) {
      expect(scanEventFields(bytesOf(text)), text).toBeUndefined();
    }
    expect(scanEventFields(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))).toBeUndefined();
    const deep = `{"visit_id":"a","event_time":1,"x":${'['.repeat(300)}${']'.repeat(300)}}`;
    expect(scanEventFields(bytesOf(deep))).toBeUndefined();
    expect(expected(bytesOf(deep))).toBeDefined();
  });
});
