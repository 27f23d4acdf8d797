import { javaPartitioner } from '../kafka/java-partitioner.js';
const SEND_CHUNK = 500;
/**
 * Dead letters as records of a Kafka topic (streaming mode's --dead-letter-topic): value the
 * letter's JSON, key the source partition. Letters are held until flush(), which the job
 * awaits before committing the offsets of the rows they came from (in exactly-once runs, inside
 * the micro-batch's transaction).
 */
export class DeadLetterTopic {
    producer;
    topic;
    pending = [];
    written = 0;
    partitionOf;
    constructor(producer, topic, 
    /** The topic's partition count: letters are keyed and partitioned as a Java producer would. */
    partitions) {
        this.producer = producer;
        this.topic = topic;
        this.partitionOf = javaPartitioner(partitions);
    }
    write(letter) {
        this.pending.push(letter);
        this.written++;
    }
    get count() {
        return this.written;
    }
    async flush(via = this.producer) {
        while (this.pending.length > 0) {
            const chunk = this.pending.slice(0, SEND_CHUNK);
            await via.send(this.topic, chunk.map((letter) => {
                const key = Buffer.from(String(letter.position.partition ?? letter.position.source));
                return { partition: this.partitionOf(key), key, value: Buffer.from(JSON.stringify(letter)), headers: [] };
            }));
            this.pending = this.pending.slice(chunk.length);
        }
    }
}
//# sourceMappingURL=dead-letter-topic.js.map