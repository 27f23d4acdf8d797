import type { Producer } from 'kafkajs';
import type { DeadLetter, DeadLetterSink } from './dead-letter.js';

const SEND_CHUNK = 500;

/**
 * Dead letters as records of a Kafka topic (streaming mode's --dead-letter-topic): value the
 * letter's JSON, key the source partition. Letters are held until flush(), which the job
 * awaits before committing the offsets of the rows they came from.
 */
export class DeadLetterTopic implements DeadLetterSink {
  private pending: DeadLetter[] = [];
  private written = 0;

  constructor(private readonly producer: Producer, readonly topic: string) {}

  write(letter: DeadLetter): void {
    this.pending.push(letter);
    this.written++;
  }

  get count(): number {
    return this.written;
  }

  async flush(): Promise<void> {
    while (this.pending.length > 0) {
      const chunk = this.pending.slice(0, SEND_CHUNK);
      await this.producer.send({
        topic: this.topic,
        acks: -1,
        messages: chunk.map((letter) => ({ key: String(letter.position.partition ?? letter.position.source), value: JSON.stringify(letter) })),
      });
      this.pending = this.pending.slice(chunk.length);
    }
  }
}
