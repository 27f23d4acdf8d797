import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { DeadLetterCollector, DeadLetterFile, type DeadLetter } from '../../../src/dead-letter/dead-letter.js';
import { PieceLetters } from '../../../src/sources/parallel/piece-letters.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'piece-letters-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Text that tries to look like the fields the letters are edited at.
const tricky = fc.oneof(fc.string(), fc.constantFrom(',"line":7', ',"position":{"source":"x"', '\\",\\"line\\":1', '"\\', 'stdin', '\u2028', '\ud800'));

describe('PieceLetters', () => {
  it('adds the lines before each piece and renames spooled stdin, whatever the letters hold, keeping input order', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 50 }),
        fc.array(fc.record({ reason: tricky, raw: tricky, line: fc.integer({ min: 1, max: 1000 }), offset: fc.nat() }), { minLength: 1, maxLength: 20 }),
        fc.boolean(),
        async (linesBefore, rows, spooled) => {
          const caseDir = path.join(dir, String(round++));
          const input = path.join(caseDir, 'input.ndjson');
          mkdirSync(caseDir);
          writeFileSync(input, 'x\n'.repeat(linesBefore) + 'y\n');
          const start = 2 * linesBefore;
          const pieces = [
            { path: input, start: 0, end: start, base: 0 },
            { path: input, start, end: start + 2, base: 0 },
          ];
          const letters: DeadLetter[] = rows.map((r) => ({ reason: r.reason, position: { source: input, line: r.line, offset: r.offset }, raw: r.raw }));
          const file = path.join(caseDir, 'letters-1.ndjson');
          const names = new Map(spooled ? [[input, 'stdin']] : []);
          for (const sink of [new DeadLetterCollector(), new DeadLetterFile(path.join(caseDir, 'dead.ndjson'))]) {
            writeFileSync(file, letters.map((l) => JSON.stringify(l) + '\n').join(''));
            const pieceLetters = new PieceLetters(pieces, sink, names);
            pieceLetters.add(1, file);
            await pieceLetters.countLines();
            await pieceLetters.deliver();
            const got =
              sink instanceof DeadLetterFile
                ? (await sink.close(),
                  readFileSync(sink.path, 'utf8')
                    .trimEnd()
                    .split('\n')
                    .map((l) => JSON.parse(l) as DeadLetter))
                : sink.letters;
            expect(got).toEqual(
              letters.map((l) => ({ ...l, position: { source: spooled ? 'stdin' : input, line: l.position.line! + linesBefore, offset: l.position.offset } })),
            );
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
