import { javaPartitioner } from '../kafka/java-partitioner.js';
import type { ProducerPort } from '../kafka/port.js';
import type { DeadLetter, DeadLetterSink } from './dead-letter.js';

const SEND_CHUNK = 500;

/**
 * Dead letters as records of a Kafka topic (streaming mode's --dead-letter-topic): value the
 * letter's JSON, key the source partition. Letters are held until flush(), which the job
 * awaits before committing the offsets of the rows they came from (in exactly-once runs, inside
 * the micro-batch's transaction).
 */
export class DeadLetterTopic implements DeadLetterSink {
  private pending: DeadLetter[] = [];
  private written = 0;
  private readonly partitionOf: (key: Uint8Array) => number;

  constructor(
    private readonly producer: ProducerPort,
    readonly topic: string,
    /** The topic's partition count: letters are keyed and partitioned as a Java producer would. */
    partitions: number,
  ) {
    this.partitionOf = javaPartitioner(partitions);
  }

  write(letter: DeadLetter): void {
    this.pending.push(letter);
    this.written++;
  }

  get count(): number {
    return this.written;
  }

  async flush(via: ProducerPort = this.producer): Promise<void> {
    while (this.pending.length > 0) {
      const chunk = this.pending.slice(0, SEND_CHUNK);
      await via.send(
        this.topic,
        chunk.map((letter) => {
          const key = Buffer.from(String(letter.position.partition ?? letter.position.source));
          return { partition: this.partitionOf(key), key, value: Buffer.from(JSON.stringify(letter)), headers: [] };
        }),
      );
      this.pending = this.pending.slice(chunk.length);
    }
  }
}
