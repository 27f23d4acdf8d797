// The narrow Kafka client port: only what bin-packer needs from a client. One adapter per
// client library implements it (platformatic.ts, the default; kafkajs.ts, the design card's
// client), so the sink, verify and the CLI never import a client library themselves.

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export type ClientName = 'platformatic' | 'kafkajs';
export const CLIENT_NAMES: readonly ClientName[] = ['platformatic', 'kafkajs'];

/** A record ready to go: the partition is chosen by the caller (Kafka's Java murmur2), bytes are final. */
export interface OutgoingRecord {
  partition: number;
  /** Null for a record without a key (fixtures' rows without a visit). */
  key: Buffer | null;
  value: Buffer;
  /** The record's headers, as [name, value] pairs (ASCII names). */
  headers: ReadonlyArray<readonly [string, string]>;
}

export interface ProducerSettings {
  /** -1 = all in-sync replicas, 1 = leader, 0 = none. Always passed on: clients differ in their defaults. */
  acks: -1 | 0 | 1;
  /** The broker drops a retried record it already wrote (producer id and sequence numbers). Needs acks -1. */
  idempotent: boolean;
  compression: Compression;
}

export interface ProducerPort {
  /**
   * Produces records of one topic, on any partitions, and resolves once every one is
   * acknowledged. The adapter groups them into one request per broker. Rejects with a
   * KafkaSendError when any record was not acknowledged.
   */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  close(): Promise<void>;
}

/** A record read back (verify). */
export interface ConsumedRecord {
  partition: number;
  /** The offset, as a decimal string. */
  offset: string;
  key: Buffer | null;
  value: Buffer;
  /** Header values by name, as UTF-8 text (a repeated name keeps its last value). */
  headers: ReadonlyMap<string, string>;
}

export interface KafkaClient {
  /** The topic's partition count, or undefined when the topic does not exist. */
  partitionCount(topic: string): Promise<number | undefined>;
  /** Creates the topic; false when it existed already. */
  createTopic(topic: string, partitions: number): Promise<boolean>;
  /** A producer, connected and ready (an idempotent one has its producer id). */
  producer(settings: ProducerSettings): Promise<ProducerPort>;
  /** Every record of the topic from the beginning up to the end offsets taken at the start, in offset order per partition. */
  readTopicToEnd(topic: string, onRecord: (record: ConsumedRecord) => void): Promise<void>;
  close(): Promise<void>;
}

/**
 * A send that did not end with every record acknowledged. `retriable` is the client's word
 * on whether the same records may succeed if sent again (a timeout, a leader change); a
 * record too large or an authorization failure is not.
 */
export class KafkaSendError extends Error {
  override name = 'KafkaSendError';
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
