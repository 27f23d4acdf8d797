import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateEvents } from '../../../src/fixtures/generate-events.js';
import { commonSortKey, eventSortKey, sortKeyFound } from '../../../src/stages/validate/validate-row.js';
import { corrupt, eventObject, object } from '../../helpers/json-rows.js';

/** The full path's answer: the key of the parsed row, or a reason. */
function fullPath(text: string): ReturnType<typeof eventSortKey> {
  try {
    return eventSortKey(JSON.parse(text));
  } catch {
    return 'malformed JSON';
  }
}

describe("commonSortKey (the sort workers' path for common rows)", () => {
  it('gives the key the full path gives, or declines; whatever follows the row past its newline', () => {
    fc.assert(
      fc.property(fc.oneof(object, eventObject, corrupt), fc.constantFrom('', '\n', '\r\n'), fc.string(), (text, ending, tail) => {
        const row = Buffer.from(text);
        if (!isUtf8(row)) return;
        // bytes[end] is a newline or CR, or there is no bytes[end].
        const bytes = Buffer.concat([row, Buffer.from(ending === '' ? '' : ending + tail)]);
        const visitId = commonSortKey(bytes, 0, row.length);
        if (visitId !== undefined) expect({ visitId, time: sortKeyFound.time }).toEqual(fullPath(text));
      }),
      { numRuns: 5000 },
    );
  });

  it('takes the generated events with the common layout, and leaves the rest to the full path', () => {
    let taken = 0;
    let valid = 0;
    for (const { text } of generateEvents({ events: 2000, seed: 3, timeOffsets: 'mixed', missingFields: 0.05, unprocessable: 0.05 })) {
      const visitId = commonSortKey(Buffer.from(text), 0, Buffer.byteLength(text));
      const full = fullPath(text);
      if (typeof full !== 'string') valid++;
      if (visitId === undefined) continue;
      taken++;
      expect({ visitId, time: sortKeyFound.time }).toEqual(full);
    }
    expect(taken).toBeGreaterThan(0.8 * valid);
  });
});
