import type { KafkaClient, OutgoingRecord } from '../kafka/port.js';
import type { VisitMark, VisitWatermarks } from '../stages/late/visit-watermarks.js';
/**
 * Streaming mode's late-event state as a compacted changelog topic, partitioned like the
 * input (a visit's record lives in the partition its events are read from), as Kafka Streams
 * backs a state store. Each micro-batch writes the marks it changed (inside its transaction,
 * in exactly-once runs); a partition newly assigned reads its part back before its records are
 * processed, so a late event is told after a restart or a rebalance as it would be without one.
 */
export declare class LateStateLog {
    private readonly client;
    readonly topic: string;
    private constructor();
    /** Creates the topic when missing; refuses one whose partitions do not match the input's. */
    static open(client: KafkaClient, topic: string, inputPartitions: number): Promise<LateStateLog>;
    /** Reads the state of `partitions` into `watermarks` (read_committed); returns the visits restored. */
    restore(partitions: readonly number[], watermarks: VisitWatermarks): Promise<number>;
    /** Records for the marks a micro-batch changed, and tombstones for the visits the TTL forgot. */
    records(changed: readonly VisitMark[], expired: readonly VisitMark[]): OutgoingRecord[];
}
