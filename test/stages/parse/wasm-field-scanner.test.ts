import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foundFields, scanFields } from '../../../src/stages/parse/scan-event-fields.js';
import { SCAN_FIELDS_WASM } from '../../../src/stages/parse/scan-fields-wasm.js';
import { WasmFieldScanner } from '../../../src/stages/parse/wasm-field-scanner.js';
import { commonIsoInstant } from '../../../src/stages/validate/event-time.js';
import { anyJson, corrupt, eventObject, object } from '../../helpers/json-rows.js';
// @ts-expect-error: a plain .mjs script, without types
import { compileScanFields } from '../../../scripts/build-wasm.mjs';

const scanner = new WasmFieldScanner();

/** Both scanners' answers for `row` placed at `at` in the WebAssembly block, followed by `after` (a newline or CR first). */
function both(row: Buffer, at: number, after: Buffer) {
  const block = scanner.block;
  row.copy(block, at);
  after.copy(block, at + row.length);
  const view = block.subarray(0, at + row.length + after.length);
  const js = scanFields(view, at, at + row.length) && { ...foundFields };
  const wasm = scanner.scan(view, at, at + row.length) && { ...foundFields };
  return { js, wasm };
}

describe('WasmFieldScanner', () => {
  it("gives scanFields' answers, ranges included, wherever the row is in its block", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          object,
          eventObject,
          corrupt,
          corrupt,
          anyJson.map((v) => JSON.stringify(v)),
        ),
        fc.nat({ max: 5000 }),
        fc.constantFrom('\n', '\r\n', '\n{"visit_id":"x"}', '\ntrue', '\n\\u0041'),
        (text, at, after) => {
          const { js, wasm } = both(Buffer.from(text), at, Buffer.from(after));
          expect(wasm).toEqual(js);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('gives the same answers for long strings with quotes, escapes and control bytes anywhere in them, whole or cut short', () => {
    // The module skips through strings sixteen bytes at a time: specials on either side of a
    // sixteen-byte boundary, and rows that end within sixteen bytes of one, are where it could differ.
    const piece = fc.constantFrom('a', 'abcdefghijklmnop', 'é', '😀', '\\"', '\\\\', '\\n', '\\u00e9', '\\u12', '\\x', '"', '\t', '\u0001', '\u007f', '~', ']');
    const text = fc.array(piece, { maxLength: 40 }).map((pieces) => pieces.join(''));
    fc.assert(
      fc.property(text, text, fc.nat(), fc.nat({ max: 64 }), (visit, other, cut, at) => {
        const row = Buffer.from(`{"visit_id":"${visit}","event_time":1,"k":"${other}","z":0}`);
        for (const end of [row.length, cut % (row.length + 1)]) {
          const { js, wasm } = both(row.subarray(0, end), at, Buffer.from('\n'));
          expect(wasm).toEqual(js);
        }
      }),
      { numRuns: 20000 },
    );
  });

  it('reads rows at the very end of its block, and past-the-end literals', () => {
    for (const text of [
      '{"visit_id":"a","event_time":"2024-01-01T00:00:00Z","k":true}',
      '{"visit_id":"a","event_time":1,"k":nul',
      '{"visit_id":"a","event_time":1,"k":"\\u00',
    ]) {
      const row = Buffer.from(text);
      const at = scanner.block.length - row.length - 1;
      const { js, wasm } = both(row, at, Buffer.from('\n'));
      expect(wasm).toEqual(js);
    }
    expect(both(Buffer.from('{"visit_id":"a","event_time":1,"k":true}'), 0, Buffer.from('\n')).wasm).toMatchObject({
      visitStart: 12,
      visitEnd: 15,
      timeStart: 29,
      timeEnd: 30,
      timeIsString: false,
    });
  });

  it('reads event_time instants as commonIsoInstant does, NaN where it declines', () => {
    const two = (max: number) => fc.integer({ min: 0, max }).map((n) => String(n).padStart(2, '0'));
    const stamp = fc
      .tuple(fc.integer({ min: 0, max: 9999 }), two(13), two(32), two(25), two(61), two(61), fc.constantFrom('Z', '+', '-', 'z', ' '), two(25), two(61))
      .map(
        ([y, mo, d, h, mi, s, sign, oh, om]) =>
          `${String(y).padStart(4, '0')}-${mo}-${d}T${h}:${mi}:${s}${sign === 'Z' || sign === 'z' ? sign : `${sign}${oh}:${om}`}`,
      );
    const mangled = fc.tuple(stamp, fc.nat(), fc.constantFrom('', 'x', '0', ':', '-', 'T', '9', ' ')).map(([text, at, piece]) => {
      const i = at % (text.length + 1);
      return text.slice(0, i) + piece + text.slice(i + 1);
    });
    fc.assert(
      fc.property(fc.oneof(stamp, stamp, mangled), (text) => {
        const bytes = Buffer.from(text, 'latin1');
        bytes.copy(scanner.block, 100);
        expect(scanner.instant(scanner.block, 100, 100 + bytes.length)).toBe(commonIsoInstant(text));
      }),
      { numRuns: 20000 },
    );
    for (const text of [
      '2024-02-29T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2000-02-29T23:59:59+23:59',
      '1900-02-29T00:00:00Z',
      '0000-01-01T00:00:00-00:01',
      '9999-12-31T23:59:59Z',
      '0050-03-01T00:00:00Z',
    ]) {
      const bytes = Buffer.from(text);
      bytes.copy(scanner.block, 0);
      expect(scanner.instant(scanner.block, 0, bytes.length), text).toBe(commonIsoInstant(text));
    }
    expect(scanner.instant(Buffer.from('2024-01-01T00:00:00Z'), 0, 20)).toBeUndefined();
  });

  it('is the module scan-fields.wat compiles to (npm run build:wasm)', async () => {
    expect((await compileScanFields()).toString('base64')).toBe(SCAN_FIELDS_WASM);
  });
});
