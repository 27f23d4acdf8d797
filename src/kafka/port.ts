// The narrow Kafka client port: only what bin-packer needs from a client. One adapter per
// client library implements it (platformatic.ts, the default; kafkajs.ts, the design card's
// client), so the sink, verify and the CLI never import a client library themselves.
import { UserFacingError } from '../user-facing-error.js';

export type Compression = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const COMPRESSIONS: readonly Compression[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export type ClientName = 'platformatic' | 'kafkajs';
export const CLIENT_NAMES: readonly ClientName[] = ['platformatic', 'kafkajs'];

/**
 * A record ready to go: the partition is chosen by the caller (Kafka's Java murmur2), bytes are
 * final. The sink's records are SlicedRecords, whose key and value are getters: a ProducerPort
 * reads them by name (a spread of the record would leave them out).
 */
export interface OutgoingRecord {
  partition: number;
  /** Null for a record without a key (fixtures' rows without a visit). */
  key: Buffer | null;
  /** Null: a tombstone (a compacted topic deletes the key). */
  value: Buffer | null;
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

/**
 * One partition's records encoded ahead of the producer that sends them (encoded-batches.ts: a
 * record batch whose producer id, sequence, timestamps and CRC are written when it is sent).
 */
export interface EncodedRecordBatch {
  readonly partition: number;
  /** Records in the batch. */
  readonly records: number;
  readonly bytes: Buffer;
}

export interface ProducerPort {
  /**
   * Produces records of one topic, on any partitions, and resolves once every one is
   * acknowledged. The adapter groups them into one request per broker. Rejects with a
   * KafkaSendError when any record was not acknowledged.
   */
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  /**
   * send() for record batches encoded ahead, at most one per partition, each sent as it is: a
   * producer that has it takes the sink's records with no object per record on its thread.
   * The bytes are the caller's again once the promise settles: the sink frees them when they
   * are acknowledged, so a producer copies what it keeps.
   */
  sendEncoded?(topic: string, batches: readonly EncodedRecordBatch[]): Promise<void>;
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

export interface ReadOptions {
  /** read_committed (the default) skips records of aborted and open transactions. */
  isolation?: Isolation;
  /** Only these partitions (default all). */
  partitions?: readonly number[];
}

export type Isolation = 'read_committed' | 'read_uncommitted';

export interface ReadSummary {
  /** Records of aborted transactions skipped (read_committed); undefined when the client does not say (kafkajs). */
  abortedRecords?: number;
}

/** What a topic's configs say about writing to it (KafkaClient.topicConfig). */
export interface TopicConfig {
  /** The largest record batch the topic takes (max.message.bytes). */
  maxMessageBytes: number | undefined;
  /** cleanup.policy, such as "delete", "compact" or "compact,delete". */
  cleanupPolicy: string | undefined;
}

export interface KafkaClient {
  /** The topic's partition count, or undefined when the topic does not exist. */
  partitionCount(topic: string): Promise<number | undefined>;
  /**
   * The topic's configs that bin-packer heeds, as the brokers resolve them; each undefined when
   * they do not say (a principal without DescribeConfigs on the topic). Never rejects: the
   * callers then keep the broker defaults' behaviour.
   */
  topicConfig(topic: string): Promise<TopicConfig>;
  /** Raises the topic's partition count to `total` (Kafka adds partitions; it never removes any). */
  addPartitions(topic: string, total: number): Promise<void>;
  /** Creates the topic, with topic configs such as cleanup.policy; false when it existed already. */
  createTopic(topic: string, partitions: number, config?: Readonly<Record<string, string>>): Promise<boolean>;
  /** A producer, connected and ready (an idempotent one has its producer id). */
  producer(settings: ProducerSettings): Promise<ProducerPort>;
  /** Every record of the topic from the beginning up to the end offsets taken at the start, in offset order per partition. */
  readTopicToEnd(topic: string, onRecord: (record: ConsumedRecord) => void, options?: ReadOptions): Promise<ReadSummary>;
  /** A consumer group member (streaming mode); not connected until join(). */
  groupConsumer(settings: GroupConsumerSettings): GroupConsumerPort;
  /** A producer for transactions (streaming mode's exactly-once). */
  transactionalProducer(settings: TransactionalSettings): Promise<TransactionalProducerPort>;
  close(): Promise<void>;
}

/** A record read from a consumer group's partition. */
export interface FetchedRecord {
  offset: bigint;
  key: Buffer | null;
  value: Buffer | null;
  headers: ReadonlyArray<readonly [Buffer | null, Buffer | null]>;
}

/** What one fetch read from one partition. */
export interface FetchedPartition {
  partition: number;
  /** Records at or after the requested offset, in offset order (read_committed: no aborted ones). */
  records: FetchedRecord[];
  /** Where the next fetch of this partition starts (past control markers and aborted records too). */
  nextOffset: bigint;
  highWatermark: bigint;
  /**
   * The requested offset is outside the partition's log (retention deleted its records, or the
   * topic was made anew): nothing was read, and the caller must pick another start.
   */
  outOfRange?: true;
}

export interface GroupAssignment {
  /** The group generation this assignment belongs to. */
  generation: number;
  partitions: number[];
}

export interface CommittedOffset {
  offset: bigint;
  metadata: string | null;
}

export interface OffsetToCommit {
  partition: number;
  /** The offset of the next record to read. */
  offset: bigint;
  metadata: string;
}

export interface GroupConsumerSettings {
  groupId: string;
  topic: string;
  sessionTimeoutMs: number;
  heartbeatIntervalMs: number;
  rebalanceTimeoutMs: number;
}

/**
 * A member of a consumer group on one topic (streaming mode). Membership, heartbeats and
 * rejoins run inside the client; reading positions are the caller's, so that after a
 * rebalance it starts exactly where the group's committed offsets say.
 */
export interface GroupConsumerPort {
  /** Joins the group; resolves once the first assignment is known. */
  join(): Promise<GroupAssignment>;
  /** Called on every completed (re)join, with the partitions now owned. */
  onAssignment(listener: (assignment: GroupAssignment) => void): void;
  /**
   * Called on the member that leads the group when the topic has more partitions than at its
   * last assignment, with their number; the member then rejoins, so that the group assigns
   * them, once the listener resolves. A listener that rejects stops that rejoin.
   */
  onPartitionsAdded(listener: (partitions: number) => Promise<void>): void;
  /** The current assignment, or undefined while (re)joining. */
  readonly assignment: GroupAssignment | undefined;
  /** When the last heartbeat was answered (ms since the epoch). */
  readonly lastHeartbeatAt: number | undefined;
  /** Reads the given partitions from the given offsets, read_committed; waits up to maxWaitMs for data. */
  fetch(positions: ReadonlyMap<number, bigint>, maxWaitMs: number): Promise<FetchedPartition[]>;
  /** The group's committed offsets, stable: a commit inside an open transaction is waited for. */
  committed(partitions: readonly number[]): Promise<Map<number, CommittedOffset>>;
  /** The offset to start from where nothing is committed. */
  startOffsets(partitions: readonly number[], from: 'earliest' | 'latest'): Promise<Map<number, bigint>>;
  /** Commits offsets as this member of the current generation (refused after a rebalance). */
  commit(offsets: readonly OffsetToCommit[]): Promise<void>;
  /** Leaves the group. */
  close(): Promise<void>;
}

/** One transaction: records sent through it and the group's offsets commit or abort together. */
export interface TransactionPort {
  send(topic: string, records: readonly OutgoingRecord[]): Promise<void>;
  /** ProducerPort.sendEncoded, in the transaction. */
  sendEncoded(topic: string, batches: readonly EncodedRecordBatch[]): Promise<void>;
  /** Adds the group's offsets to the transaction, as the group's current generation (KIP-447 fencing). */
  commitOffsets(group: GroupConsumerPort, offsets: readonly OffsetToCommit[]): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}

export interface TransactionalProducerPort {
  begin(): Promise<TransactionPort>;
  close(): Promise<void>;
}

export interface TransactionalSettings {
  transactionalId: string;
  /** The broker aborts a transaction open longer than this. */
  transactionTimeoutMs: number;
  compression: Compression;
}

/**
 * A send that did not end with every record acknowledged. `retriable` is the client's word
 * on whether the same records may succeed if sent again (a timeout, a leader change); a
 * record too large or an authorization failure is not.
 */
export class KafkaSendError extends Error {
  override name = 'KafkaSendError';
  /** The topic is gone (deleted while the run wrote to it): no later send to it can succeed either. */
  readonly topicMissing: boolean;
  /**
   * Partitions of the send whose records the brokers did write: a produce request answers per
   * partition, and one refused partition fails the send. Empty where the client does not say.
   */
  readonly acknowledged: ReadonlySet<number>;
  constructor(
    message: string,
    readonly retriable: boolean,
    options?: { cause?: unknown; topicMissing?: boolean; acknowledged?: ReadonlySet<number> },
  ) {
    super(message, options);
    this.topicMissing = options?.topicMissing ?? false;
    this.acknowledged = options?.acknowledged ?? new Set();
  }

  /** A send the brokers refused because `topic` is gone, once the client's retries are spent. */
  static topicGone(topic: string, cause: unknown): KafkaSendError {
    return new KafkaSendError(`topic "${topic}" no longer exists on the brokers (deleted during the run?)`, false, { cause, topicMissing: true });
  }
}

/**
 * The brokers refuse this producer's transactions as configured (a transaction timeout above
 * their maximum, a transactional id the principal may not use): no transaction can begin.
 */
export class TransactionRefusedError extends UserFacingError {
  override name = 'TransactionRefusedError';
}

/** The TransactionRefusedError in `error`'s causes, if any. */
export function transactionRefusedCause(error: unknown): TransactionRefusedError | undefined {
  return causeOf(error, (e): e is TransactionRefusedError => e instanceof TransactionRefusedError);
}

/** Broker errors about the records themselves: the same records sent again are refused again. */
const RECORDS_REFUSED = /\b(MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE|INVALID_RECORD)\b/;

/** The KafkaSendError that refused records for what they are (too large, invalid), if `error` is one or was caused by one. */
export function recordsRefusedCause(error: unknown): KafkaSendError | undefined {
  return causeOf(error, (e): e is KafkaSendError => e instanceof KafkaSendError && !e.retriable && RECORDS_REFUSED.test(e.message));
}

/** The KafkaSendError for a topic that is gone, if `error` is one or was caused by one. */
export function topicMissingCause(error: unknown): KafkaSendError | undefined {
  return causeOf(error, (e): e is KafkaSendError => e instanceof KafkaSendError && e.topicMissing);
}

/** The first of `error` and its causes (ten deep at most) that `is` picks. */
function causeOf<T extends Error>(error: unknown, is: (e: Error) => e is T): T | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 10; e = e.cause, depth++) if (is(e)) return e;
  return undefined;
}
