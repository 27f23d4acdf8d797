import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ndjsonSink } from '../../src/sinks/ndjson-sink.js';
import { event } from '../helpers/events.js';

describe('ndjsonSink', () => {
  it('writes one line per event with the batch, the key and the original JSON unchanged', async () => {
    const text = '{"visit_id": "v\\"1",   "x": [1, 2]}';
    const sink = ndjsonSink();
    let out = '';
    Readable.from([{ number: 1, events: [event('v"1', 0, 0, text)], bytes: text.length }, { number: 2, events: [event('w', 0, 1, '{}')], bytes: 2 }]).pipe(sink);
    for await (const chunk of sink) out += chunk;
    expect(out).toBe(`{"delivery_batch":1,"key":"v\\"1","value":${text}}\n{"delivery_batch":2,"key":"w","value":{}}\n`);
    expect(JSON.parse(out.split('\n')[0]!)).toEqual({ delivery_batch: 1, key: 'v"1', value: JSON.parse(text) });
    expect(sink.stats).toEqual({ batches: 2, delivered: 2 });
  });
});
