import { crc32c as clientCrc32c } from '@platformatic/kafka';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/kafka/crc32c.js';

describe('crc32c', () => {
  it("gives the Castagnoli check value and the client's checksums", () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(Buffer.alloc(0))).toBe(0);
    for (const size of [1, 7, 64, 1000, 300_000]) {
      const bytes = randomBytes(size);
      expect(crc32c(bytes)).toBe((clientCrc32c as (b: Buffer) => number)(bytes));
    }
  });

  it('reads a view where it starts in its buffer', () => {
    // Record batches are views into a larger request buffer.
    const whole = randomBytes(4096);
    const view = whole.subarray(21, 3000);
    expect(crc32c(view)).toBe(crc32c(Buffer.from(view)));
    expect(crc32c(view)).not.toBe(crc32c(whole.subarray(0, view.length)));
  });
});
