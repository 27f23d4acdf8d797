// The Fetch response for @platformatic/kafka's consumer, with each partition's record batches
// read by record-batch-reader.ts instead of the client's record reader. Everything around them
// stays the client's: the request, fetch sessions, leaders, retries. The response layout is
// fetch-v13 to v17's (topic ids, Kafka 3.1 and later); an older broker gets the client's own
// parser, its batches converted to the same shape. Either way each partition keeps every
// batch the broker sent under `allBatches`, since the client's read_committed filter drops some
// aborted batches before fetch() answers (see aborted-transactions.ts).
import {
  compressionsAlgorithmsByBitmask,
  createAPI,
  fetchV13,
  fetchV14,
  fetchV15,
  fetchV16,
  fetchV17,
  readKnownTaggedFields,
  ResponseError,
  type Consumer,
  type Reader,
  type RecordsBatch,
} from '@platformatic/kafka';
import { replaceApi, type Api } from './platformatic-apis.js';
import { readRecordBatches, type ReadBatch } from './record-batch-reader.js';

const allBatches = Symbol('bin-packer.allBatches');

/** A fetched partition as the responses carry it. */
export interface FetchedPartitionResponse {
  partitionIndex: number;
  errorCode: number;
  highWatermark: bigint;
  abortedTransactions: { producerId: bigint; firstOffset: bigint }[] | null;
  records: ReadBatch[] | null;
  [allBatches]?: ReadBatch[];
}

/** Every batch the broker sent for the partition, before the client's read_committed filter. */
export function allBatchesOf(partition: FetchedPartitionResponse): ReadBatch[] {
  return partition[allBatches] ?? partition.records ?? [];
}

const requests = new Map<number, typeof fetchV17.createRequest>([
  [13, fetchV13.createRequest],
  [14, fetchV14.createRequest],
  [15, fetchV15.createRequest],
  [16, fetchV16.createRequest],
  [17, fetchV17.createRequest],
]);

const apis = new Map<number, Api>();

/** Makes the consumer's fetches read record batches with readRecordBatches and keep them all. */
export function readBatchesFast<C extends Consumer<Buffer, Buffer, Buffer, Buffer>>(consumer: C): C {
  replaceApi(consumer, 'Fetch', (api) => {
    const request = requests.get(api.version);
    if (request) {
      let fast = apis.get(api.version);
      if (!fast) apis.set(api.version, (fast = createAPI(1, api.version, request as never, parseResponse) as unknown as Api));
      return fast;
    }
    return keepingClientBatches(api);
  });
  return consumer;
}

/** Fetch v13–v17's response, as the client's parser reads it but for the records. */
function parseResponse(_correlationId: number, apiKey: number, apiVersion: number, reader: Reader): unknown {
  const errors: [string, [number, null]][] = [];
  const throttleTimeMs = reader.readInt32();
  const errorCode = reader.readInt16();
  if (errorCode !== 0) errors.push(['', [errorCode, null]]);
  const response = {
    throttleTimeMs,
    errorCode,
    sessionId: reader.readInt32(),
    nodeEndpoints: [] as unknown[],
    responses: reader.readArray((r, i) => ({
      topicId: r.readUUID(),
      partitions: r.readArray(
        (r, j) => {
          const partition = {
            partitionIndex: r.readInt32(),
            errorCode: r.readInt16(),
            highWatermark: r.readInt64(),
            lastStableOffset: r.readInt64(),
            logStartOffset: r.readInt64(),
            divergingEpoch: { epoch: -1, endOffset: -1n },
            currentLeader: { leaderId: -1, leaderEpoch: -1 },
            snapshotId: { endOffset: -1n, epoch: -1 },
            abortedTransactions: r.readNullableArray((r) => ({ producerId: r.readInt64(), firstOffset: r.readInt64() })),
            preferredReadReplica: r.readInt32(),
            records: null as ReadBatch[] | null,
          };
          if (partition.errorCode !== 0) errors.push([`/responses/${i}/partitions/${j}`, [partition.errorCode, null]]);
          // COMPACT_RECORDS: the length plus one, 0 for null.
          const size = r.readUnsignedVarInt() - 1;
          if (size >= 0) {
            const batches = readRecordBatches(r.buffer.buffers, decompress, r.position, r.position + size);
            r.skip(size);
            partition.records = batches;
            (partition as FetchedPartitionResponse)[allBatches] = batches;
          }
          readKnownTaggedFields(r, {
            0: (r) => void (partition.divergingEpoch = { epoch: r.readInt32(), endOffset: r.readInt64() }),
            1: (r) => void (partition.currentLeader = { leaderId: r.readInt32(), leaderEpoch: r.readInt32() }),
            2: (r) => void (partition.snapshotId = { endOffset: r.readInt64(), epoch: r.readInt32() }),
          });
          return partition;
        },
        true,
        false,
      ),
    })),
  };
  readKnownTaggedFields(reader, {
    0: (r) =>
      void (response.nodeEndpoints = r.readArray((r) => ({ nodeId: r.readInt32(), host: r.readString(), port: r.readInt32(), rack: r.readNullableString() }))),
  });
  if (errors.length > 0) throw new ResponseError(apiKey, apiVersion, Object.fromEntries(errors), response);
  return response;
}

function decompress(bitmask: number, bytes: Buffer): Buffer {
  const algorithm = (compressionsAlgorithmsByBitmask as Record<number, { decompressSync: (bytes: Buffer) => Buffer } | undefined>)[bitmask];
  if (!algorithm) throw new Error(`a fetched record batch uses compression ${bitmask}, which this client cannot read`);
  return algorithm.decompressSync(bytes);
}

/** An older broker's fetch: the client's parser, its batches turned into ReadBatches and all kept. */
function keepingClientBatches(api: Api): Api {
  const wrapped = (connection: unknown, ...args: unknown[]) => {
    type Answer = { responses?: { partitions: (Omit<FetchedPartitionResponse, 'records'> & { records: (RecordsBatch | ReadBatch)[] | null })[] }[] };
    const callback = args.pop() as (error: Error | null, response?: Answer) => void;
    api(connection, ...args, (error: (Error & { response?: Answer }) | null, response?: Answer) => {
      const answered = response ?? error?.response;
      for (const topic of answered?.responses ?? []) {
        for (const partition of topic.partitions) {
          if (!partition.records) continue;
          const batches = (partition.records as RecordsBatch[]).map(toReadBatch);
          partition.records = batches;
          (partition as FetchedPartitionResponse)[allBatches] = batches;
        }
      }
      callback(error, response);
    });
  };
  return Object.assign(wrapped, { version: api.version, key: api.key, async: api.async }) as Api;
}

function toReadBatch(batch: RecordsBatch): ReadBatch {
  return {
    firstOffset: batch.firstOffset,
    lastOffsetDelta: batch.lastOffsetDelta,
    producerId: batch.producerId,
    attributes: batch.attributes,
    records: batch.records.map((record) => ({
      offset: batch.firstOffset + BigInt(record.offsetDelta),
      key: record.key,
      value: record.value,
      headers: record.headers,
    })),
  };
}
