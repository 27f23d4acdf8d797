import type { KafkaClient, OutgoingRecord } from '../kafka/port.js';
import { partBytesFor } from '../kafka/record-parts.js';
import { SlicedRecord } from '../kafka/sliced-record.js';
import { TopicError, TopicMissingError } from '../kafka/topic.js';
import type { VisitMark, VisitWatermarks } from '../stages/late/visit-watermarks.js';

/** Compaction keeps each visit's last record; a tombstone (the TTL's) removes it. */
const COMPACTED = { 'cleanup.policy': 'compact' } as const;

/** A visit's record: its latest delivered event instant and when it was last delivered to. */
interface StoredMark {
  t: number;
  w: number;
}

/**
 * Streaming mode's late-event state as a compacted changelog topic, partitioned like the
 * input (a visit's record lives in the partition its events are read from), as Kafka Streams
 * backs a state store. Each micro-batch writes the marks it changed (inside its transaction,
 * in exactly-once runs); a partition newly assigned reads its part back before its records are
 * processed, so a late event is told after a restart or a rebalance as it would be without one.
 */
export class LateStateLog {
  private constructor(
    private readonly client: KafkaClient,
    readonly topic: string,
    /** Most record bytes in one send of marks: one record batch per partition, under the topic's max.message.bytes. */
    readonly maxSendBytes: number,
    /** The partition count it had before open() added partitions to match the input's, if it did. */
    readonly grownFrom?: number,
  ) {}

  /**
   * Creates the topic when missing, and adds partitions to one that has fewer than the input
   * (partitions were added to the input since it was made); refuses one that has more.
   */
  static async open(client: KafkaClient, topic: string, inputTopic: string): Promise<LateStateLog> {
    const inputPartitions = await client.partitionCount(inputTopic);
    if (inputPartitions === undefined) throw new TopicMissingError(`input topic "${inputTopic}" does not exist`);
    const existing = await client.partitionCount(topic);
    if (existing === undefined) {
      await client.createTopic(topic, inputPartitions, COMPACTED);
      return new LateStateLog(client, topic, partBytesFor());
    }
    if (existing > inputPartitions) {
      throw new TopicError(
        `the late-state topic "${topic}" has ${existing} partitions and the input ${inputPartitions}: it cannot have more (a visit's state lives in its input partition); give another --late-state-topic`,
      );
    }
    const grownFrom = await addPartitionsUpTo(client, topic, inputPartitions);
    return new LateStateLog(client, topic, partBytesFor((await client.topicConfig(topic)).maxMessageBytes), grownFrom);
  }

  /** Adds partitions up to `partitions`, the input's new count; returns the count it had before, if this call added them. */
  grow(partitions: number): Promise<number | undefined> {
    return addPartitionsUpTo(this.client, this.topic, partitions);
  }

  /** Reads the state of `partitions` into `watermarks` (read_committed); returns the visits restored. */
  async restore(partitions: readonly number[], watermarks: VisitWatermarks): Promise<number> {
    if (partitions.length === 0) return 0;
    let restored = 0;
    await this.client.readTopicToEnd(
      this.topic,
      (record) => {
        const visitId = record.key?.toString('utf8');
        if (!visitId) return;
        if (record.value.length === 0) {
          watermarks.forget(visitId);
          return;
        }
        let stored: StoredMark;
        try {
          stored = JSON.parse(record.value.toString('utf8')) as StoredMark;
        } catch {
          return; // not ours
        }
        if (typeof stored.t !== 'number' || typeof stored.w !== 'number') return;
        watermarks.restore({ visitId, time: stored.t, touched: stored.w, partition: record.partition });
        restored++;
      },
      { partitions },
    );
    return restored;
  }
}

/** Raises the topic's partition count to `partitions` unless it has as many; returns the count before, if this call raised it. */
async function addPartitionsUpTo(client: KafkaClient, topic: string, partitions: number): Promise<number | undefined> {
  const existing = await client.partitionCount(topic);
  if (existing === undefined || existing >= partitions) return undefined;
  try {
    await client.addPartitions(topic, partitions);
  } catch (error) {
    // Another instance of the group added them first.
    if (((await client.partitionCount(topic)) ?? 0) >= partitions) return undefined;
    throw error;
  }
  return existing;
}

/** Most bytes of a StoredMark's JSON: two numbers of at most 24 characters and 11 of syntax. */
const MAX_STORED_MARK_BYTES = 64;
const NO_HEADERS: OutgoingRecord['headers'] = Object.freeze([]);

/**
 * Changelog records for the marks a micro-batch changed, and tombstones for the visits the TTL
 * forgot since the last ones: but none for a forgotten visit delivered to again meanwhile,
 * whose tombstone would otherwise follow its fresh mark and delete it. The marks' keys and
 * values lie one after another in one buffer (a micro-batch changes tens of thousands).
 */
export function lateStateRecords(changed: readonly VisitMark[], expired: readonly VisitMark[]): OutgoingRecord[] {
  const records: OutgoingRecord[] = [];
  let room = 0;
  for (const mark of changed) room += Buffer.byteLength(mark.visitId) + MAX_STORED_MARK_BYTES;
  const bytes = Buffer.allocUnsafe(room);
  let at = 0;
  for (const mark of changed) {
    if (mark.partition === undefined) continue;
    const keyStart = at;
    at += bytes.write(mark.visitId, at);
    const valueStart = at;
    // A StoredMark as JSON.stringify writes it: finite numbers print alike in JSON and in JS.
    at += bytes.write(`{"t":${mark.time},"w":${mark.touched}}`, at, 'latin1');
    records.push(new SlicedRecord(mark.partition, bytes, keyStart, valueStart, bytes, valueStart, at, NO_HEADERS));
  }
  if (expired.length === 0) return records;
  const marked = new Set<string>();
  for (const mark of changed) if (mark.partition !== undefined) marked.add(mark.visitId);
  for (const mark of expired) {
    if (mark.partition !== undefined && !marked.has(mark.visitId))
      records.push({ partition: mark.partition, key: Buffer.from(mark.visitId), value: null, headers: NO_HEADERS });
  }
  return records;
}
