import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { DeliveryLines } from '../../src/stages/format/delivery-lines.js';
import { ndjsonSink } from '../../src/sinks/ndjson-sink.js';
import { event } from '../helpers/events.js';

describe('ndjsonSink', () => {
  it('writes one line per event with the batch, the key and the original JSON unchanged', async () => {
    const text = '{"visit_id": "v\\"1",   "x": [1, 2]}';
    const sink = ndjsonSink();
    let out = '';
    Readable.from([
      { number: 1, events: [event('v"1', 0, 0, text)], bytes: text.length },
      { number: 2, events: [event('w', 0, 1, '{}')], bytes: 2 },
    ]).pipe(sink);
    for await (const chunk of sink) out += chunk;
    expect(out).toBe(`{"delivery_batch":1,"key":"v\\"1","value":${text}}\n{"delivery_batch":2,"key":"w","value":{}}\n`);
    expect(JSON.parse(out.split('\n')[0]!)).toEqual({ delivery_batch: 1, key: 'v"1', value: JSON.parse(text) });
    expect(sink.stats).toEqual({ batches: 2, delivered: 2 });
  });

  it('holds a batch of one event in a buffer of about its size, not a whole chunk; each chunk has an ArrayBuffer of its own', () => {
    const one = new DeliveryLines(7, 64 * 1024);
    one.add(event('v', 0, 0, '{"a":1}'));
    const [chunk] = one.finish();
    expect(chunk!.toString()).toBe('{"delivery_batch":7,"key":"v","value":{"a":1}}\n');
    expect(chunk!.buffer.byteLength).toBeLessThanOrEqual(1024);
    // Large batches still reach full-size chunks, and none shares Buffer's pool (the merge worker transfers them).
    const many = new DeliveryLines(8, 64 * 1024);
    for (let i = 0; i < 2000; i++) many.add(event('v', i, i, `{"n":${i}}`));
    const chunks = many.finish();
    expect(Math.max(...chunks.map((c) => c.buffer.byteLength))).toBe(64 * 1024);
    expect(new Set(chunks.map((c) => c.buffer)).size).toBe(chunks.length);
  });
});
