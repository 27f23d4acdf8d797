import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planPieces } from '../../../src/sources/parallel/plan-pieces.js';

/** Files as in-memory texts of lines; lineStartFrom over them as the real one reads files. */
const arbitraryFiles = fc.array(
  fc.array(fc.string({ maxLength: 30, unit: fc.constantFrom('a', 'b', '\n') }), { maxLength: 4 }).map((parts) => parts.join('')),
  { minLength: 1, maxLength: 4 },
);

describe('planPieces', () => {
  it('covers every byte once, in order, cut only at line starts, into at most the parts asked for', () => {
    fc.assert(
      fc.property(arbitraryFiles, fc.integer({ min: 1, max: 6 }), (texts, parts) => {
        const files = texts.map((text, i) => ({ path: `f${i}`, size: text.length, text }));
        const byPath = new Map(files.map((f) => [f.path, f.text]));
        const lineStartFrom = (file: string, at: number) => {
          const text = byPath.get(file)!;
          if (at <= 0) return 0;
          const newline = text.indexOf('\n', at - 1);
          return newline === -1 ? text.length : newline + 1;
        };
        const plan = planPieces(files, parts, lineStartFrom);
        expect(plan.length).toBeLessThanOrEqual(parts);
        for (const part of plan) expect(part.length).toBeGreaterThan(0);
        const pieces = plan.flat();
        let base = 0;
        for (const file of files) {
          const own = pieces.filter((p) => p.path === file.path);
          let at = 0;
          for (const piece of own) {
            expect(piece.start).toBe(at);
            expect(piece.end).toBeGreaterThan(piece.start);
            expect(piece.base).toBe(base);
            expect(piece.start === 0 || file.text[piece.start - 1] === '\n').toBe(true);
            at = piece.end;
          }
          expect(at).toBe(file.size);
          base += file.size;
        }
        // Pieces come in file order across the parts, so each part is a contiguous stretch of the input.
        expect(pieces.map((p) => p.path)).toEqual([...pieces.map((p) => p.path)].sort());
      }),
      { numRuns: 300 },
    );
  });

  it('splits one large file of equal lines into equal parts', () => {
    const line = 100;
    const size = line * 1000;
    const plan = planPieces([{ path: 'f', size }], 2, (_file, at) => Math.ceil(at / line) * line);
    expect(plan).toEqual([[{ path: 'f', start: 0, end: size / 2, base: 0 }], [{ path: 'f', start: size / 2, end: size, base: 0 }]]);
  });
});
