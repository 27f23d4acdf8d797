// The Produce request for @platformatic/kafka's producer, with each partition's record batch
// encoded into one Buffer (record-batch.ts). The client builds every record from a dozen small
// buffers and joins them twice, the largest share of the main thread's time in delivery
// (bench/README.md). Compression runs synchronously here. Metadata, connections, producer ids,
// retries and the response parser stay the client's own. The request layout is
// produce-v9 to v11's (the flexible versions, Kafka 2.8 and later); an older broker gets the
// client's own encoder. test/kafka/record-batch.test.ts pins the bytes against the client's.
//
// The adapter hands the client one message per partition, a RecordShare holding that
// partition's records: the client's per-message work (message objects, two Maps each, schema
// checks, a sequence key) was the largest share of delivery's allocations. The client then
// counts one message per share, so a share's sequence numbers are ours (ProducerSequences),
// assigned when its request is first written and kept for the client's retries of it, as
// Java's producer does; a new producer id or epoch starts them again at 0.
import { compressionsAlgorithms, createAPI, Producer, produceV9, produceV10, produceV11, Writer } from '@platformatic/kafka';
import { promisify } from 'node:util';
import { crc32c } from './crc32c.js';
import { replaceApi, type Api } from './platformatic-apis.js';
import { ReusedSpace } from './reused-space.js';
import { recordsOfEncodedBatch } from './encoded-batches.js';
import type { EncodedRecordBatch } from './port.js';
import { encodeRecordBatch, headerBytes, sealRecordBatch, type BatchRecord, type Compression } from './record-batch.js';

/** A message as the producer hands it to the Produce API (already serialized): a RecordShare as its value, from this adapter. */
interface ProduceMessage extends BatchRecord {
  topic: string;
  partition: number;
}

/** The largest sequence number; the next one after it is 0 (Kafka's DefaultRecordBatch). */
const MAX_SEQUENCE = 2 ** 31 - 1;

/** One producer's next sequence number per partition, for its current producer id and epoch. */
export class ProducerSequences {
  private producerId: bigint | undefined;
  private epoch: number | undefined;
  private readonly next = new Map<string, number>();

  /** The base sequence of `count` records for `partition`, sent as `producerId`/`epoch`. */
  take(producerId: bigint, epoch: number, partition: string, count: number): number {
    if (producerId !== this.producerId || epoch !== this.epoch) {
      this.producerId = producerId;
      this.epoch = epoch;
      this.next.clear();
    }
    const base = this.next.get(partition) ?? 0;
    this.next.set(partition, base > MAX_SEQUENCE - count ? count - (MAX_SEQUENCE - base) - 1 : base + count);
    return base;
  }
}

/** A partition's records in one send call, as one message to the client: records, or a batch of them encoded ahead. */
export class RecordShare {
  /** The base sequence given when its request was first written, for the producer id and epoch it was written with. */
  private assigned: { producerId: bigint; epoch: number; base: number } | undefined;
  private readonly given: readonly BatchRecord[] | undefined;
  private readonly batch: EncodedRecordBatch | undefined;
  private decoded: readonly BatchRecord[] | undefined;

  constructor(
    content: readonly BatchRecord[] | EncodedRecordBatch,
    private readonly sequences: ProducerSequences,
    /** The create time of its records that carry none: when the share was first handed to the client. */
    readonly timestamp: bigint = BigInt(Date.now()),
  ) {
    if (Array.isArray(content)) this.given = content as readonly BatchRecord[];
    else this.batch = content as EncodedRecordBatch;
  }

  /** The batch encoded ahead, if the share is one. */
  get encoded(): Buffer | undefined {
    return this.batch?.bytes;
  }

  get count(): number {
    return this.given?.length ?? this.batch!.records;
  }

  /** Its records (those of a batch encoded ahead read back from its bytes: only where it cannot be sent as it is). */
  get records(): readonly BatchRecord[] {
    return this.given ?? (this.decoded ??= recordsOfEncodedBatch(this.batch!));
  }

  /** Its base sequence: the same for every retry of one request, a new one under a new producer id or epoch. */
  baseSequence(producerId: bigint, epoch: number, partition: string, count: number): number {
    const assigned = this.assigned;
    if (assigned && assigned.producerId === producerId && assigned.epoch === epoch) return assigned.base;
    const base = this.sequences.take(producerId, epoch, partition, count);
    this.assigned = { producerId, epoch, base };
    return base;
  }
}

interface ProduceOptions {
  compression?: string;
  producerId?: bigint;
  producerEpoch?: number;
  sequences?: { getWithDefault(key: string, fallback: number): number };
  transactionalId?: string;
  partitionLeaderEpoch?: number;
}

type ProduceApi = ReturnType<typeof createAPI>;

const parsers = new Map<number, Parameters<typeof createAPI>[3]>([
  [9, produceV9.parseResponse],
  [10, produceV10.parseResponse],
  [11, produceV11.parseResponse],
]);

const apis = new Map<number, ProduceApi>();

function produceApi(version: number): ProduceApi | undefined {
  const parse = parsers.get(version);
  if (!parse) return undefined;
  let api = apis.get(version);
  if (!api) apis.set(version, (api = createAPI(0, version, createRequest as never, parse)));
  return api;
}

/**
 * Space for a request's record batches, reused by the next request: each request's bytes are
 * copied into one buffer as soon as they are written (the connection reads Writer#buffer in
 * the same call that creates the payload; test/kafka/platformatic-produce.test.ts pins it), so
 * a large buffer per batch was only garbage, and with its copy most of what held RSS up in
 * delivery (bench/README.md).
 */
const arena = new ReusedSpace();

function createRequest(acks: number, timeout: number, messages: ProduceMessage[], options: ProduceOptions): unknown {
  arena.reset();
  const now = BigInt(Date.now());
  const byTopic = new Map<string, Map<number, PartitionRecords>>();
  for (const message of messages) {
    message.partition ??= 0;
    const share = message.value instanceof RecordShare ? message.value : undefined;
    if (!share) message.timestamp ??= now;
    let partitions = byTopic.get(message.topic);
    if (!partitions) byTopic.set(message.topic, (partitions = new Map()));
    let records = partitions.get(message.partition);
    if (!records) partitions.set(message.partition, (records = { shares: [], plain: [] }));
    if (share) records.shares.push(share);
    else records.plain.push(message);
  }
  const compression = compressionOf(options.compression);
  const producerId = options.producerId ?? -1n;
  const producerEpoch = options.producerEpoch ?? 0;
  const writer = Writer.create()
    .appendString(options.transactionalId)
    .appendInt16(acks)
    .appendInt32(timeout)
    .appendArray([...byTopic], (w, [topic, partitions]) => {
      w.appendString(topic).appendArray([...partitions], (w, [partition, group]) => {
        const key = `${topic}:${partition}`;
        // A lone share encoded ahead (the sink's usual one) is sealed where it lies.
        const encoded = group.shares.length === 1 && group.plain.length === 0 ? group.shares[0]!.encoded : undefined;
        const records = encoded ? undefined : recordsOf(group);
        const count = records?.length ?? group.shares[0]!.count;
        const header = {
          producerId,
          producerEpoch,
          baseSequence: !options.sequences
            ? 0
            : group.shares.length > 0
              ? baseSequenceOf(group, producerId, producerEpoch, key, count)
              : options.sequences.getWithDefault(key, 0),
          transactional: options.transactionalId !== undefined,
          partitionLeaderEpoch: options.partitionLeaderEpoch ?? 0,
          timestamp: group.shares[0]?.timestamp ?? now,
        };
        const batch = encoded ? sealRecordBatch(encoded, header, crc32c, compression) : encodeRecordBatch(records!, header, crc32c, compression, arena.take);
        w.appendInt32(partition).appendUnsignedVarInt(batch.length + 1).append(batch);
      });
    })
    .appendTaggedFields();
  if (acks === 0) writer.context.noResponse = true;
  return writer;
}

/** A partition's records in one request: from shares, or from the client's own messages (plain). */
interface PartitionRecords {
  shares: RecordShare[];
  plain: BatchRecord[];
}

/** The records of a partition's batch: a lone share's as they stand (the sender's usual request), not copied. */
function recordsOf(group: PartitionRecords): readonly BatchRecord[] {
  if (group.shares.length === 0) return group.plain;
  if (group.shares.length === 1 && group.plain.length === 0) return group.shares[0]!.records;
  return [...group.plain, ...group.shares.flatMap((share) => share.records)];
}

/** The base sequence of a partition's shares in one request: the first share's, kept for every retry. */
function baseSequenceOf(group: PartitionRecords, producerId: bigint, epoch: number, partition: string, count: number): number {
  // The client numbers its own messages and this adapter its shares: one batch cannot hold both.
  if (group.plain.length > 0) throw new Error(`records for ${partition} came both as shares and as the client's messages`);
  return group.shares[0]!.baseSequence(producerId, epoch, partition, count);
}

/** Headers as the client's own encoder takes them: a Map of bytes. */
function headerMap(headers: BatchRecord['headers']): ReadonlyMap<Uint8Array, Uint8Array> {
  if (headers instanceof Map) return headers as ReadonlyMap<Uint8Array, Uint8Array>;
  return new Map(headers && headerBytes(headers));
}

function compressionOf(name: string | undefined): Compression | undefined {
  if (name === undefined || name === 'none') return undefined;
  const algorithm = (compressionsAlgorithms as Record<string, { bitmask: number; compressSync(data: Buffer): Buffer }>)[name];
  if (!algorithm) throw new Error(`unsupported compression ${name}`);
  return { bitmask: algorithm.bitmask, compress: (records) => algorithm.compressSync(records) };
}

/**
 * Makes the producer encode its Produce requests with encodeRecordBatch (v9 to v11). Older
 * brokers get the client's own encoder, with each share turned back into the client's messages
 * and numbered as a share.
 */
export function useFastProduce(producer: Producer<Buffer, Buffer, Buffer, Buffer>): void {
  replaceApi(producer, 'Produce', (api) => (produceApi(api.version) as Api | undefined) ?? sharesAsMessages(api));
}

function sharesAsMessages(api: Api): Api {
  const wrapped = (connection: unknown, acks: number, timeout: number, messages: ProduceMessage[], options: ProduceOptions, callback: unknown) => {
    const expanded: ProduceMessage[] = [];
    // Per partition: its first share, which numbers all of the partition's records, as in createRequest.
    const firstShares = new Map<string, RecordShare>();
    const counts = new Map<string, number>();
    for (const message of messages) {
      if (!(message.value instanceof RecordShare)) {
        expanded.push(message);
        continue;
      }
      const share = message.value;
      const key = `${message.topic}:${message.partition}`;
      if (!firstShares.has(key)) firstShares.set(key, share);
      counts.set(key, (counts.get(key) ?? 0) + share.count);
      for (const record of share.records) {
        // Read through key and value: a SlicedRecord's are getters, which a spread would leave out.
        expanded.push({
          topic: message.topic,
          partition: message.partition,
          key: record.key,
          value: record.value,
          headers: headerMap(record.headers),
          timestamp: record.timestamp ?? share.timestamp,
        });
      }
    }
    const bases = new Map<string, number>();
    if (options.sequences) {
      for (const [key, share] of firstShares) bases.set(key, share.baseSequence(options.producerId ?? -1n, options.producerEpoch ?? 0, key, counts.get(key)!));
    }
    const sequences = options.sequences && { getWithDefault: (key: string, fallback: number) => bases.get(key) ?? options.sequences!.getWithDefault(key, fallback) };
    api(connection, acks, timeout, expanded, { ...options, ...(sequences && { sequences }) }, callback);
  };
  return Object.assign(wrapped, { version: api.version, key: api.key, async: promisify(wrapped) }) as Api;
}
