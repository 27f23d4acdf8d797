import { javaPartitioner } from '../kafka/java-partitioner.js';
import type { OutgoingRecord, ProducerPort } from '../kafka/port.js';
import { partBytesFor, RECORD_OVERHEAD_BYTES, splitIntoParts } from '../kafka/record-parts.js';
import type { DeadLetter, DeadLetterSink } from './dead-letter.js';

/**
 * Dead letters as records of a Kafka topic (streaming mode's --dead-letter-topic): value the
 * letter's JSON, key the source partition. Letters are held until flush(), which the job
 * awaits before committing the offsets of the rows they came from (in exactly-once runs, inside
 * the micro-batch's transaction). A source partition's letters all go to one partition, so
 * each send holds no more bytes than one record batch of the topic may; a letter too large for
 * one keeps the first bytes of its row that fit, marked truncated with the row's size.
 */
export class DeadLetterTopic implements DeadLetterSink {
  private pending: DeadLetter[] = [];
  private written = 0;
  private readonly partitionOf: (key: Uint8Array) => number;
  private readonly maxSendBytes: number;

  constructor(
    private readonly producer: ProducerPort,
    readonly topic: string,
    /** The topic's partition count: letters are keyed and partitioned as a Java producer would. */
    partitions: number,
    /** The topic's max.message.bytes (KafkaClient.topicConfig), when known. */
    maxMessageBytes?: number,
  ) {
    this.partitionOf = javaPartitioner(partitions);
    this.maxSendBytes = partBytesFor(maxMessageBytes);
  }

  write(letter: DeadLetter): void {
    this.pending.push(letter);
    this.written++;
  }

  get count(): number {
    return this.written;
  }

  async flush(via: ProducerPort = this.producer): Promise<void> {
    const records = this.pending.map((letter) => this.recordOf(letter));
    const sends: [number, number][] = [];
    splitIntoParts(records, this.maxSendBytes, (start, end) => sends.push([start, end]));
    for (const [start, end] of sends) {
      await via.send(this.topic, records.slice(start, end));
      // Sent letters leave the front (letters written meanwhile wait behind them): a later flush
      // does not send them again, even if this one fails further on.
      this.pending = this.pending.slice(end - start);
    }
  }

  private recordOf(letter: DeadLetter): OutgoingRecord {
    const key = Buffer.from(String(letter.position.partition ?? letter.position.source));
    return { partition: this.partitionOf(key), key, value: fitted(letter, this.maxSendBytes - key.length - RECORD_OVERHEAD_BYTES), headers: [] };
  }
}

/** The letter's JSON in at most `maxBytes` (unless its other fields alone are larger): its row cut short (truncated, size) when the whole does not fit. */
function fitted(letter: DeadLetter, maxBytes: number): Buffer {
  const whole = Buffer.from(JSON.stringify(letter));
  const text = letter.raw ?? letter.rawBase64;
  if (whole.length <= maxBytes || text === undefined) return whole;
  const field = letter.raw !== undefined ? 'raw' : 'rawBase64';
  const size = letter.size ?? (letter.raw !== undefined ? Buffer.byteLength(letter.raw) : Buffer.from(letter.rawBase64!, 'base64').length);
  // Escaping can make the JSON up to six bytes per character of the row: shrink it in proportion until it fits.
  let keep = text.length;
  let json = whole;
  while (json.length > maxBytes && keep > 0) {
    keep = Math.floor(keep * Math.min(0.99, maxBytes / json.length));
    if (field === 'rawBase64') keep -= keep % 4; // whole base64 quanta: the bytes kept still decode
    json = Buffer.from(JSON.stringify({ ...letter, [field]: text.slice(0, keep), truncated: true, size }));
  }
  return json;
}
