import { describe, expect, it } from 'vitest';
import { DeadLetterTopic } from '../../src/dead-letter/dead-letter-topic.js';
import type { DeadLetter } from '../../src/dead-letter/dead-letter.js';
import type { OutgoingRecord, ProducerPort } from '../../src/kafka/port.js';
import { partBytesFor, RECORD_OVERHEAD_BYTES } from '../../src/kafka/record-parts.js';

/** Keeps each send's records; fails the sends listed in `failing` (by number, from 0). */
class RecordingProducer implements ProducerPort {
  readonly sends: OutgoingRecord[][] = [];
  constructor(private readonly failing = new Set<number>()) {}
  async send(_topic: string, records: readonly OutgoingRecord[]): Promise<void> {
    const number = this.sends.length;
    this.sends.push([...records]);
    if (this.failing.has(number)) throw new Error(`send ${number} refused`);
  }
  async close(): Promise<void> {}
}

const letter = (i: number, raw: string, partition = 0): DeadLetter => ({
  reason: 'event_time is not a time',
  position: { source: 'in', partition, offset: i },
  raw,
});
const estimate = (records: readonly OutgoingRecord[]) => records.reduce((n, r) => n + r.key!.length + r.value!.length + RECORD_OVERHEAD_BYTES, 0);
const parse = (record: OutgoingRecord) => JSON.parse(record.value!.toString()) as DeadLetter;

describe('DeadLetterTopic', () => {
  it("sends a partition's letters in sends no larger than one record batch of the topic may be, each letter once, in order", async () => {
    const producer = new RecordingProducer();
    const topic = new DeadLetterTopic(producer, 'letters', 3, 100_000);
    const letters = Array.from({ length: 600 }, (_, i) => letter(i, `{"pad": "${'x'.repeat(5000)}"}`));
    for (const l of letters) topic.write(l);
    await topic.flush();
    // 600 letters of ~5 KB used to go in sends of 500: a 2.6 MB record batch, refused by any default broker.
    expect(producer.sends.length).toBeGreaterThan(30);
    for (const send of producer.sends) expect(estimate(send)).toBeLessThanOrEqual(partBytesFor(100_000));
    expect(producer.sends.flat().map(parse)).toEqual(letters);
    expect(topic.count).toBe(600);
  });

  it('cuts the row of a letter too large for the topic, marking it truncated with the size of the whole row', async () => {
    const producer = new RecordingProducer();
    const topic = new DeadLetterTopic(producer, 'letters', 1);
    // Quotes take twice their bytes in the letter's JSON.
    const raw = '"'.repeat(1_000_000);
    topic.write(letter(7, raw));
    topic.write(letter(8, 'short'));
    await topic.flush();
    const sent = producer.sends.flat();
    expect(sent.map((r) => r.value!.length + r.key!.length + RECORD_OVERHEAD_BYTES).every((bytes) => bytes <= partBytesFor())).toBe(true);
    const [cut, whole] = sent.map(parse);
    expect(cut).toMatchObject({ reason: 'event_time is not a time', position: { offset: 7 }, truncated: true, size: 1_000_000 });
    expect(raw.startsWith(cut!.raw!)).toBe(true);
    expect(cut!.raw!.length).toBeGreaterThan(100_000);
    expect(whole).toEqual(letter(8, 'short'));
  });

  it('does not send again, at the next flush, the letters a failed flush had already sent', async () => {
    const producer = new RecordingProducer(new Set([1]));
    const topic = new DeadLetterTopic(producer, 'letters', 1, 20_000);
    const letters = Array.from({ length: 30 }, (_, i) => letter(i, 'y'.repeat(2000)));
    for (const l of letters) topic.write(l);
    await expect(topic.flush()).rejects.toThrow(/send 1 refused/);
    const first = producer.sends[0]!.length;
    await topic.flush();
    const offsets = producer.sends
      .slice(2)
      .flat()
      .map((r) => parse(r).position.offset);
    expect(offsets).toEqual(letters.slice(first).map((l) => l.position.offset));
  });
});
