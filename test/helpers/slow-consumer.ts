import { Writable } from 'node:stream';

/**
 * A Writable that takes 1 ms per chunk and records how far `placed()` (events the binner has
 * placed) ran ahead of the delivery lines actually written: open batches plus whatever the
 * streams in between buffer. Unbounded buffering anywhere shows as a large `maxAhead`.
 */
export function slowLineConsumer(placed: () => number): { output: Writable; seen: { chunks: number; maxAhead: number } } {
  const seen = { chunks: 0, maxAhead: 0 };
  let lines = 0;
  const output = new Writable({
    highWaterMark: 1024,
    write(chunk: Buffer, _encoding, callback) {
      seen.chunks++;
      seen.maxAhead = Math.max(seen.maxAhead, placed() - lines);
      for (let i = chunk.indexOf(0x0a); i !== -1; i = chunk.indexOf(0x0a, i + 1)) lines++;
      setTimeout(callback, 1);
    },
  });
  return { output, seen };
}
