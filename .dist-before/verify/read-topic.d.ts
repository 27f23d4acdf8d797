import type { KafkaClient, ReadOptions, ReadSummary } from '../kafka/port.js';
import type { DeliveredRecord } from './order-checker.js';
/**
 * Every record of `topic` from the beginning up to the end offsets taken at the start, in
 * offset order per partition, as the order checker reads them. read_committed by default: the
 * end is then the last stable offset, and aborted transactions' records are skipped and counted.
 */
export declare function readTopicToEnd(client: KafkaClient, topic: string, onRecord: (record: DeliveredRecord) => void, options?: ReadOptions): Promise<ReadSummary>;
