import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StoredEvent } from '../../../src/events.js';
import { generateEvents } from '../../../src/fixtures/generate-events.js';
import { CommonEventReader } from '../../../src/stages/validate/common-event-reader.js';
import { eventSortKey } from '../../../src/stages/validate/validate-row.js';
import { corrupt, eventObject, object } from '../../helpers/json-rows.js';

function fullPath(row: Buffer): ReturnType<typeof eventSortKey> {
  try {
    return eventSortKey(JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(row)));
  } catch {
    return 'not JSON';
  }
}

describe('CommonEventReader (streaming records straight to events)', () => {
  it("gives the full path's event with the row's exact bytes, or declines; whatever row it read before", () => {
    const reader = new CommonEventReader();
    const row = fc.oneof(
      fc.oneof(object, eventObject, corrupt).map((text) => Buffer.from(text)),
      // Bytes that are not UTF-8, in a row that would otherwise read well.
      fc.tuple(eventObject, fc.nat(), fc.constantFrom(0xff, 0xc3, 0x80)).map(([text, at, byte]) => {
        const bytes = Buffer.from(text);
        bytes[at % bytes.length] = byte;
        return bytes;
      }),
    );
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 4 }), (rows) => {
        rows.forEach((bytes, seq) => {
          const event = reader.read(bytes, seq);
          if (event === undefined) return;
          expect(event).toBeInstanceOf(StoredEvent);
          expect({ visitId: event.visitId, time: event.time }).toEqual(fullPath(bytes));
          expect(event.seq).toBe(seq);
          expect(Buffer.compare(event.bytes, bytes)).toBe(0);
        });
      }),
      { numRuns: 3000 },
    );
  });

  it('declines a row cut short, even where the row read before it went on', () => {
    const reader = new CommonEventReader();
    const whole = Buffer.from('{"visit_id":"v1","event_time":"2024-01-01T00:00:00Z"}');
    expect(reader.read(whole, 0)?.visitId).toBe('v1');
    for (let cut = 1; cut < whole.length; cut++) {
      reader.read(whole, 0);
      expect(reader.read(whole.subarray(0, cut), 1)).toBeUndefined();
    }
  });

  it('takes the generated events, keeps copies that later reads leave alone', () => {
    const reader = new CommonEventReader();
    const rows = [...generateEvents({ events: 2000, seed: 5 })].map(({ text }) => Buffer.from(text));
    const events = rows.map((bytes, seq) => reader.read(bytes, seq));
    expect(events.every((event) => event !== undefined)).toBe(true);
    events.forEach((event, i) => {
      expect(event!.bytes.equals(rows[i]!)).toBe(true);
      expect(event!.bytes.buffer).not.toBe(rows[i]!.buffer);
    });
  });
});
