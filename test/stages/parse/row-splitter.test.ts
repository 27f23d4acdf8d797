import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DeadLetter } from '../../../src/dead-letter/dead-letter.js';
import type { ParsedRow } from '../../../src/events.js';
import { RowSplitter, type RowSplitterOptions } from '../../../src/stages/parse/row-splitter.js';

function split(input: Buffer | string, options: RowSplitterOptions = {}, chunkSizes: number[] = []): { rows: ParsedRow[]; rejected: DeadLetter[] } {
  const rows: ParsedRow[] = [];
  const rejected: DeadLetter[] = [];
  const splitter = new RowSplitter({ row: (r) => rows.push(r), reject: (l) => rejected.push(l) }, { source: 'in', ...options });
  const bytes = Buffer.isBuffer(input) ? input : Buffer.from(input);
  let at = 0;
  for (const size of chunkSizes) {
    if (at >= bytes.length) break;
    splitter.push(bytes.subarray(at, at + size));
    at += size;
  }
  if (at < bytes.length) splitter.push(bytes.subarray(at));
  splitter.end();
  return { rows, rejected };
}

describe('RowSplitter, NDJSON', () => {
  it("keeps each row's exact text, value and position", () => {
    const input = '{"a": 1,  "b":"x"}\n\n  \n{"a":2}\r\n{"a":3}';
    const { rows, rejected } = split(input);
    expect(rejected).toEqual([]);
    expect(rows.map((r) => r.text)).toEqual(['{"a": 1,  "b":"x"}', '{"a":2}', '{"a":3}']);
    expect(rows.map((r) => r.value)).toEqual([{ a: 1, b: 'x' }, { a: 2 }, { a: 3 }]);
    expect(rows.map((r) => r.position)).toEqual([
      { source: 'in', line: 1, offset: 0 },
      { source: 'in', line: 4, offset: input.indexOf('{"a":2}') },
      { source: 'in', line: 5, offset: input.indexOf('{"a":3}') },
    ]);
  });

  it('dead-letters malformed JSON, invalid UTF-8 and oversized rows, and goes on', () => {
    const input = Buffer.concat([
      Buffer.from('{"ok":1}\n{"broken":\n'),
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d, 0x0a]),
      Buffer.from(`{"big":"${'x'.repeat(100)}"}\n{"ok":2}\n`),
    ]);
    const { rows, rejected } = split(input, { maxRowBytes: 50 });
    expect(rows.map((r) => r.value)).toEqual([{ ok: 1 }, { ok: 2 }]);
    expect(rejected).toHaveLength(3);
    expect(rejected[0]).toMatchObject({ reason: expect.stringMatching(/^malformed JSON/), position: { line: 2, offset: 9 }, raw: '{"broken":' });
    expect(rejected[1]).toMatchObject({
      reason: 'invalid UTF-8',
      position: { line: 3 },
      rawBase64: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]).toString('base64'),
    });
    expect(rejected[2]).toMatchObject({ reason: 'row exceeds 50 bytes', truncated: true, size: 110, position: { line: 4 } });
    expect(rejected[2]!.raw).toHaveLength(50);
  });

  it("counts blank lines before the first row, like an explicit --format ndjson (the parallel sort's workers use that)", () => {
    const input = '\n  \r\n   {"a":1}\n{bad';
    for (const sizes of [[], [1], [1, 1, 1, 1], [4]]) {
      const auto = split(input, {}, sizes);
      expect(auto).toEqual(split(input, { format: 'ndjson' }, sizes));
      expect(auto.rows.map((r) => [r.text, r.position])).toEqual([['   {"a":1}', { source: 'in', line: 3, offset: 5 }]]);
      expect(auto.rejected.map((l) => l.position)).toEqual([{ source: 'in', line: 4, offset: input.indexOf('{bad') }]);
    }
    const array = '\n \n [{"a":1}, {"a":2}]';
    for (const sizes of [[], [1, 1, 1]]) {
      const { rows, rejected } = split(array, {}, sizes);
      expect(rejected).toEqual([]);
      expect(rows.map((r) => [r.text, r.position])).toEqual([
        ['{"a":1}', { source: 'in', index: 0, offset: 5 }],
        ['{"a":2}', { source: 'in', index: 1, offset: 14 }],
      ]);
    }
  });

  it('gives the same rows and rejections however the bytes are chunked', () => {
    const input = Buffer.from('{"a":"é"}\n[1,2]\nnope\n{"b":{"c":[1,2,3]}}\n\n"str"\n{"t":"\\n"}');
    const whole = split(input, { maxRowBytes: 20 });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 8 }), { maxLength: 40 }), (sizes) => {
        expect(split(input, { maxRowBytes: 20 }, sizes)).toEqual(whole);
      }),
    );
  });
});

describe("RowSplitter, NDJSON with a line taker (the sort workers' path)", () => {
  const input = Buffer.concat([
    Buffer.from('{"a":"é"}\n{"a":1}\r\n\n  \n[1,2]\nnope\n{"a":'),
    Buffer.from([0xff]),
    Buffer.from('}\n{"a":"a long row, over the limit"}\n{"b":{"c":[1,2,3]}}\n"str"\n{"a":"\\n"}\n{"a":2}'),
  ]);
  const options = { maxRowBytes: 24 };

  /** Takes rows starting with {"a" as their text and offset; pushes copies that it then overwrites, as a reusing reader would. */
  function splitTaking(sizes: number[], bytes = input) {
    const taken: { text: string; offset: number }[] = [];
    const offered: { text: string; offset: number }[] = [];
    const rows: { text: string; offset: number; line: number | undefined }[] = [];
    const rejected: DeadLetter[] = [];
    const splitter = new RowSplitter(
      { row: (r) => rows.push({ text: r.text, offset: r.position.offset, line: r.position.line }), reject: (l) => rejected.push(l) },
      {
        source: 'in',
        format: 'ndjson',
        ...options,
        reusesChunks: true,
        takeLine(chunk, start, end, offset) {
          const text = chunk.toString('utf8', start, end);
          offered.push({ text, offset });
          if (!text.startsWith('{"a"')) return false;
          taken.push({ text, offset });
          return true;
        },
      },
    );
    let at = 0;
    for (const size of [...sizes, bytes.length]) {
      if (at >= bytes.length) break;
      const chunk = Buffer.from(bytes.subarray(at, at + size));
      splitter.push(chunk);
      chunk.fill(0x41);
      at += chunk.length;
    }
    splitter.end();
    return { taken, offered, rows, rejected, counts: { rows: splitter.rows, rejected: splitter.rejected } };
  }

  it('takes whole valid UTF-8 lines within the limit, and leaves everything else exactly as without it', () => {
    const plain = split(input, { ...options, format: 'ndjson' });
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 12 }), { maxLength: 40 }), (sizes) => {
        const { taken, offered, rows, rejected, counts } = splitTaking(sizes);
        // Only whole rows are offered (blank lines too: a taker declines them).
        const rowAt = new Map([
          ...plain.rows.map((r) => [r.position.offset, r.text] as const),
          ...plain.rejected.map((l) => [l.position.offset, l.raw] as const),
        ]);
        for (const { text, offset } of offered) expect(text.trim() === '' || rowAt.get(offset) === text).toBe(true);
        // Every row, taken or not, as the plain splitter gives it, in order; the CR left out.
        const all = [...taken.map((t) => ({ ...t, line: undefined as number | undefined })), ...rows].sort((a, b) => a.offset - b.offset);
        expect(all.map(({ text, offset }) => ({ text, offset }))).toEqual(plain.rows.map((r) => ({ text: r.text, offset: r.position.offset })));
        const left = new Set(rows.map((r) => r.offset));
        expect(rows).toEqual(
          plain.rows.filter((r) => left.has(r.position.offset)).map((r) => ({ text: r.text, offset: r.position.offset, line: r.position.line })),
        );
        expect(rejected).toEqual(plain.rejected);
        expect(counts).toEqual({ rows: plain.rows.length, rejected: plain.rejected.length });
        // Never offered: the invalid UTF-8 row, the oversized one.
        for (const { text } of taken) expect(text.length).toBeLessThanOrEqual(24);
      }),
    );
    // A chunk with invalid UTF-8 anywhere offers nothing; a valid one offers each {"a" line that
    // fits and ends in it (the last, unterminated, line ends in end()).
    expect(splitTaking([]).taken).toEqual([]);
    const valid = Buffer.from('{"a":"é"}\n{"a":1}\r\n{"a":"a long row, over the limit"}\n{"a":2}');
    expect(splitTaking([], valid).taken).toEqual([
      { text: '{"a":"é"}', offset: 0 },
      { text: '{"a":1}', offset: 11 },
    ]);
  });
});

describe('RowSplitter, top-level JSON array', () => {
  it('splits elements with their exact text, whatever the nesting and strings hold', () => {
    const input = ' [ {"a": [1, {"b": "],}"}]} ,\n{"c":"\\"\\\\"}, 42, "s", null ]\n';
    const { rows, rejected } = split(input);
    expect(rejected).toEqual([]);
    expect(rows.map((r) => r.text)).toEqual(['{"a": [1, {"b": "],}"}]}', '{"c":"\\"\\\\"}', '42', '"s"', 'null']);
    expect(rows.map((r) => r.position.index)).toEqual([0, 1, 2, 3, 4]);
    expect(rows[0]!.position.offset).toBe(3);
    expect(input.slice(rows[1]!.position.offset).startsWith('{"c"')).toBe(true);
  });

  it('is chunking-independent', () => {
    const input = Buffer.from('[{"a":"x,]"},{"b":[1,[2]]},{"bad": },{"c":"é"}]');
    const whole = split(input);
    expect(whole.rows).toHaveLength(3);
    expect(whole.rejected).toHaveLength(1);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 6 }), { maxLength: 30 }), (sizes) => {
        expect(split(input, {}, sizes)).toEqual(whole);
      }),
    );
  });

  it("dead-letters an unclosed array's last element and trailing garbage, keeping the rest", () => {
    // Elements whole, no ']': the input was cut short, which must not pass silently.
    const cut = split('[{"a":1},{"a":2}');
    expect(cut.rows.map((r) => r.value)).toEqual([{ a: 1 }, { a: 2 }]);
    expect(cut.rejected).toMatchObject([{ reason: 'the top-level JSON array is not closed', raw: '' }]);
    const unclosed = split('[{"a":1},{"a":');
    expect(unclosed.rows).toHaveLength(1);
    expect(unclosed.rejected[0]!.reason).toMatch(/malformed JSON.*not closed/);
    const trailing = split('[{"a":1}] {"x":2}\n');
    expect(trailing.rows).toHaveLength(1);
    expect(trailing.rejected).toMatchObject([{ reason: 'content after the end of the top-level JSON array', raw: '{"x":2}\n' }]);
    expect(split('[]').rows).toEqual([]);
    expect(split('').rows).toEqual([]);
  });

  it('says so when an input read as an array is not one, and keeps it whole in the letter', () => {
    const text = '{"a":1}\n{"a":2}\n';
    const { rows, rejected: letters } = split(text, { format: 'array' });
    expect(rows).toEqual([]);
    expect(letters).toMatchObject([
      { reason: expect.stringMatching(/^the input is not a JSON array .*leave out --format array$/), raw: text, position: { offset: 0 } },
    ]);
  });

  it('--format ndjson reads a line starting with [ as one row', () => {
    expect(split('[1,2]\n{"a":1}\n', { format: 'ndjson' }).rows.map((r) => r.value)).toEqual([[1, 2], { a: 1 }]);
  });

  it('skips a UTF-8 byte order mark', () => {
    expect(split(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"a":1}\n')])).rows[0]!.text).toBe('{"a":1}');
  });
});
