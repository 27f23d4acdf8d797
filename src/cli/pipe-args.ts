// The pipe CLI's options: parsed before anything heavy is loaded, so the launcher (src/pipe.ts)
// can size the heap and relaunch without first loading a Kafka client and the pipeline.
import { parseArgs } from 'node:util';
import { saslFromEnv, type KafkaConnection } from '../kafka/connection.js';
import { CLIENT_NAMES, COMPRESSIONS, type ClientName, type Compression } from '../kafka/port.js';
import { DEFAULT_MAX_REQUEST_BYTES, type DeliveryBarrier } from '../sinks/kafka-sink.js';
import { DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_RECORDS } from '../stages/bin/binner-options.js';
import type { LatePolicy } from '../stages/late/mark-late-events.js';
import { DEFAULT_MAX_ROW_BYTES } from '../stages/parse/row-splitter.js';
import { DEFAULT_SORT_MEMORY } from '../stages/sort/external-sorter.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from '../kafka/open-output.js';
import { DEFAULT_LATE_STATE_AGE_MS, DEFAULT_LATE_STATE_VISITS } from '../stages/late/visit-watermarks.js';
import { joinNegativeValues, parseBytes, parseChoice, parseCount, positiveCount, UsageError } from './args.js';
import type { RunFiles } from './run-files.js';
import { GUARANTEES, type Guarantee } from '../streaming/guarantee.js';

export const DEFAULT_DEAD_LETTER_FILE = 'dead-letter.ndjson';

export const USAGE = `Usage: bin-packer [pipe] [options] [FILE...|-]      (also: node dist/pipe.js ...)
       bin-packer verify ...        check what a run delivered
       bin-packer fixtures ...      generate test events
       bin-packer kafka start|stop|status   a local Kafka broker for trying it out
Each command has its own --help. A file named like a command: bin-packer pipe verify, or ./verify.

Orders web-visit events for delivery: each visit's events in event-time order, spread over
delivery batches that never hold two events of one visit. Reads NDJSON or a top-level JSON
array (detected from the first byte) from the FILEs in turn, or stdin ('-' or none), and
writes one NDJSON line per event, batch after batch, to stdout:
  {"delivery_batch":N,"key":"<visit_id>","value":<the event exactly as read>}
Logs, progress and the summary go to stderr; stdout carries data only.

Input
  --format FORMAT          auto (default), ndjson or array
  --max-row-bytes SIZE     longer rows are dead-lettered (default 1MiB)
Bad rows (malformed JSON, invalid UTF-8, missing or mistyped visit_id / event_time, ...)
  --dead-letter FILE       where they go, one NDJSON line each with reason, position and raw
                           text (default ./${DEFAULT_DEAD_LETTER_FILE}, created only if a row is bad)
  --max-invalid N|P%       fail (exit 1) when more than N rows, or P% of the rows, are invalid
                           (default: no limit)
  --dedupe                 drop exact duplicates (same visit, instant and bytes) and count them
Ordering
  --sort-memory SIZE       memory for buffered events before a sorted run is spilled to disk
                           (default 64MiB)
  --temp-dir DIR           where the private run directory for spilled runs is made
                           (default: the OS temp dir)
  --workers N|auto         threads that parse, validate and sort parts of the input at once,
                           sharing --sort-memory (16 MiB of it each for its own heap); NDJSON
                           files, or stdin alone, which is first copied into the run directory
                           (auto, the default: up to 2, one per core, when the input holds
                           32 MiB or more, else 1)
  --max-batch-records N    most events in one delivery batch (default ${DEFAULT_MAX_BATCH_RECORDS})
  --max-batch-bytes SIZE   most bytes of events in one delivery batch (default 16MiB)
Kafka (without --topic the delivery lines go to stdout as NDJSON)
  --topic T                produce the batches to topic T: key visit_id, value the event's bytes,
                           header delivery_batch; batch n+1 starts once batch n is acknowledged
  --brokers B              host:port[,host:port] (default: KAFKA_BROKERS)
  --create-topic           create T when missing, with --partitions N (default 6)
  --acks all|1|0           acknowledgement level (default all)
  --compression C          none (default), gzip, snappy, lz4 or zstd (kafkajs: none or gzip)
  --no-idempotent          turn off the idempotent producer (on by default with --acks all, as
                           in Kafka's Java client): without it a retried request may duplicate
                           records, counted in the summary's "resent"
  --client C               the Kafka client: platformatic (@platformatic/kafka, default) or kafkajs
  --max-request-bytes SIZE most bytes in one produce request (default 2MiB); a partition's
                           share goes in parts of at most 900KiB (less if the topic's
                           max.message.bytes is smaller), in flight together
  --connect-timeout TIME   fail when Kafka cannot be reached in this time (default 30s)
  --request-timeout TIME   how long one produce request may wait for the broker before the
                           client sends it again (default 30s, Kafka's request.timeout.ms)
  --delivery-timeout TIME  how long a batch's records may keep being re-sent after retriable
                           errors before the run fails (default 2m, Kafka's delivery.timeout.ms)
  --barrier partition|batch  batch n+1's records for a partition wait only for batch n's records
                           on that partition, so partitions move independently (default); or
                           batch n+1 waits for all of batch n
  --ssl                    TLS; --ssl-ca FILE adds a CA bundle (PEM)
  --sasl-mechanism M       plain, scram-sha-256 or scram-sha-512, with --sasl-username U and the
                           password in KAFKA_SASL_PASSWORD (or all three from KAFKA_SASL_MECHANISM,
                           KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD); credentials are never logged
Streaming (--source kafka: consume a topic in micro-batches instead of reading files)
  --source file|kafka      where events come from (default file)
  --input-topic T          the topic to consume (events as values, ideally keyed by visit_id)
  --group G                consumer group; instances with the same group share the partitions
  --trigger-interval TIME  close a micro-batch this long after its first record (default 20s)
  --trigger-events N       ...or once it holds N records, whichever comes first (default: none)
  --start-from earliest|latest  where a group without committed offsets starts (default earliest)
  --late deliver|dead-letter  an event older than one already delivered for its visit in an
                           earlier micro-batch: deliver it with a header late=true, or
                           dead-letter it (default deliver); either way it is counted
  --late-state-visits N    visits whose last delivered time is remembered, ~160 bytes each
                           (default 200000)
  --late-state-ttl TIME    forget a visit not delivered to for this long (default 1h)
  --late-state-topic T     keep that state in compacted topic T, created when missing with
                           the input's partitions (default <group>.late-state): a restarted or
                           rebalanced instance reads it back and tells late events as before
  --dead-letter-topic T    send bad rows to topic T instead of the --dead-letter file
  --session-timeout TIME   consumer group session timeout (default 30s)
  --shutdown-timeout TIME  on SIGTERM/SIGINT, give the last micro-batch this long to be
                           delivered and committed before exiting 1 uncommitted (default 1m)
  --guarantee G            exactly-once (default): a micro-batch's output, its
                           --dead-letter-topic records and its offsets commit in one
                           transaction; read_committed consumers see each event once, and an
                           instance that lost its partitions is fenced. at-least-once: offsets
                           are committed once the delivery is acknowledged, so a crash delivers
                           the micro-batch again (readers need no read_committed)
  --transaction-timeout TIME  exactly-once: the broker aborts a transaction open this long
                           (default 3 trigger intervals, at least 60s, at most 15m)
  Needs --topic (the output topic) and --brokers; the dead-letter file is appended to (in
  exactly-once runs too, so a letter of an aborted micro-batch may appear twice in it).
  SIGTERM or SIGINT: deliver and commit the current micro-batch, leave the group, exit 0.
Output
  --output FILE            write the delivery lines to FILE instead of stdout
  --progress, --no-progress  progress line on stderr (default: when stderr is a terminal)
  --metrics-port PORT      serve Prometheus metrics at /metrics and a health probe at /healthz
                           on PORT (0: a free port, logged), in file runs and streaming mode
  -h, --help               this text
TIME is a duration: 500ms, 20s, 2m or 1h; a bare number is seconds. SIZE takes units: 64MiB, 512k.

SIZE: bytes, or with a unit: 512KiB, 64MiB, 1GiB. LOG_LEVEL and LOG_PRETTY set the logs.
Exit codes: 0 success, 1 failure, 2 usage error, 130 interrupted (SIGINT), 143 terminated (SIGTERM).
`;

export interface PipeOptions {
  inputs: string[];
  output: string | undefined;
  deadLetter: string;
  maxInvalidCount: number | undefined;
  maxInvalidFraction: number | undefined;
  dedupe: boolean;
  format: 'auto' | 'ndjson' | 'array';
  maxRowBytes: number;
  sortMemory: number;
  tempDir: string | undefined;
  /** Undefined: decided from the input size (defaultWorkers). */
  workers: number | undefined;
  maxBatchRecords: number;
  maxBatchBytes: number;
  progress: boolean;
  /** Serve /metrics and /healthz on this port (0: any free one); undefined: no server. */
  metricsPort: number | undefined;
  kafka: KafkaSinkSettings | undefined;
  streaming: StreamingSettings | undefined;
}

export interface StreamingSettings {
  inputTopic: string;
  groupId: string;
  triggerIntervalMs: number;
  triggerEvents: number | undefined;
  startFrom: 'earliest' | 'latest';
  late: LatePolicy;
  lateStateVisits: number;
  lateStateAgeMs: number;
  lateStateTopic: string;
  deadLetterTopic: string | undefined;
  sessionTimeoutMs: number;
  shutdownTimeoutMs: number;
  guarantee: Guarantee;
  transactionTimeoutMs: number | undefined;
}

export interface KafkaSinkSettings {
  connection: KafkaConnection;
  topic: string;
  createPartitions: number | undefined;
  client: ClientName;
  acks: -1 | 0 | 1;
  compression: Compression;
  idempotent: boolean;
  maxRequestBytes: number;
  connectTimeoutMs: number;
  deliveryTimeoutMs: number;
  barrier: DeliveryBarrier;
}

/** Flags that only make sense with --topic (besides --topic itself). */
const KAFKA_OPTIONS = {
  brokers: { type: 'string' },
  'create-topic': { type: 'boolean' },
  partitions: { type: 'string' },
  acks: { type: 'string' },
  compression: { type: 'string' },
  idempotent: { type: 'boolean' },
  client: { type: 'string' },
  'max-request-bytes': { type: 'string' },
  'connect-timeout': { type: 'string' },
  'request-timeout': { type: 'string' },
  'delivery-timeout': { type: 'string' },
  barrier: { type: 'string' },
  ssl: { type: 'boolean' },
  'ssl-ca': { type: 'string' },
  'sasl-mechanism': { type: 'string' },
  'sasl-username': { type: 'string' },
} as const;

/** Flags that only make sense with --source kafka. */
const STREAMING_OPTIONS = {
  'input-topic': { type: 'string' },
  group: { type: 'string' },
  'trigger-interval': { type: 'string' },
  'trigger-events': { type: 'string' },
  'start-from': { type: 'string' },
  late: { type: 'string' },
  'late-state-visits': { type: 'string' },
  'late-state-ttl': { type: 'string' },
  'late-state-topic': { type: 'string' },
  'dead-letter-topic': { type: 'string' },
  'session-timeout': { type: 'string' },
  'shutdown-timeout': { type: 'string' },
  guarantee: { type: 'string' },
  'transaction-timeout': { type: 'string' },
} as const;

const PIPE_OPTIONS = {
  format: { type: 'string' },
  'max-row-bytes': { type: 'string' },
  'dead-letter': { type: 'string' },
  'max-invalid': { type: 'string' },
  dedupe: { type: 'boolean' },
  'sort-memory': { type: 'string' },
  'temp-dir': { type: 'string' },
  workers: { type: 'string' },
  'max-batch-records': { type: 'string' },
  'max-batch-bytes': { type: 'string' },
  output: { type: 'string' },
  progress: { type: 'boolean' },
  'metrics-port': { type: 'string' },
  topic: { type: 'string' },
  source: { type: 'string' },
  ...KAFKA_OPTIONS,
  ...STREAMING_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const;

/** What a file run reads and writes: checked before the run starts (run-files.ts). */
export function runFiles(options: PipeOptions): RunFiles {
  // Streaming mode reads a topic, not stdin, and writes no dead-letter file with --dead-letter-topic.
  const deadLetterFile = options.streaming?.deadLetterTopic === undefined;
  return {
    inputs: options.streaming ? [] : options.inputs,
    outputs: [
      ...(options.output !== undefined ? [{ option: '--output', path: options.output, replaced: true }] : []),
      ...(deadLetterFile ? [{ option: '--dead-letter', path: options.deadLetter }] : []),
    ],
    tempDir: options.tempDir,
  };
}

export function parsePipeArgs(argv: string[]): PipeOptions | 'help' {
  const { values, positionals } = parseArgs({
    args: joinNegativeValues(argv, PIPE_OPTIONS),
    allowPositionals: true,
    allowNegative: true,
    options: PIPE_OPTIONS,
  });
  if (values.help) return 'help';
  const maxInvalid = values['max-invalid'];
  let maxInvalidCount: number | undefined;
  let maxInvalidFraction: number | undefined;
  if (maxInvalid?.endsWith('%')) {
    maxInvalidFraction = Number(maxInvalid.slice(0, -1)) / 100;
    if (!Number.isFinite(maxInvalidFraction) || maxInvalidFraction < 0 || maxInvalidFraction > 1) {
      throw new UsageError(`--max-invalid must be a count or a percentage like 1%, got "${maxInvalid}"`);
    }
  } else if (maxInvalid !== undefined) {
    maxInvalidCount = parseCount('max-invalid', maxInvalid);
  }
  // First: its messages say what streaming mode needs before the Kafka flags complain.
  const streaming = streamingSettings(values, positionals);
  const positive = (name: string, value: number) => {
    if (value < 1) throw new UsageError(`--${name} must be at least 1`);
    return value;
  };
  return {
    inputs: positionals.length > 0 ? positionals : ['-'],
    output: values.output,
    deadLetter: values['dead-letter'] ?? DEFAULT_DEAD_LETTER_FILE,
    maxInvalidCount,
    maxInvalidFraction,
    dedupe: values.dedupe ?? false,
    format: parseChoice('format', values.format, ['auto', 'ndjson', 'array'] as const, 'auto'),
    maxRowBytes: positive('max-row-bytes', parseBytes('max-row-bytes', values['max-row-bytes'], DEFAULT_MAX_ROW_BYTES)),
    sortMemory: positive('sort-memory', parseBytes('sort-memory', values['sort-memory'], DEFAULT_SORT_MEMORY)),
    tempDir: values['temp-dir'],
    workers: values.workers === undefined || values.workers === 'auto' ? undefined : positive('workers', parseCount('workers', values.workers)),
    maxBatchRecords: positive('max-batch-records', parseCount('max-batch-records', values['max-batch-records'], DEFAULT_MAX_BATCH_RECORDS)),
    maxBatchBytes: positive('max-batch-bytes', parseBytes('max-batch-bytes', values['max-batch-bytes'], DEFAULT_MAX_BATCH_BYTES)),
    progress: values.progress ?? Boolean(process.stderr.isTTY),
    metricsPort: values['metrics-port'] === undefined ? undefined : port(values['metrics-port']),
    kafka: kafkaSettings(values),
    streaming,
  };
}

function streamingSettings(values: Record<string, string | boolean | undefined>, positionals: string[]): StreamingSettings | undefined {
  const source = parseChoice('source', values.source as string | undefined, ['file', 'kafka'] as const, 'file');
  if (source === 'file') {
    const stray = Object.keys(STREAMING_OPTIONS).find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --source kafka`);
    return undefined;
  }
  if (positionals.length > 0) throw new UsageError('--source kafka reads --input-topic, not files');
  if (values.topic === undefined) throw new UsageError('--source kafka needs --topic, the output topic');
  if (values['max-invalid'] !== undefined) throw new UsageError('--max-invalid applies to file runs only');
  const inputTopic = values['input-topic'] as string | undefined;
  const groupId = values.group as string | undefined;
  if (!inputTopic) throw new UsageError('--source kafka needs --input-topic');
  if (!groupId) throw new UsageError('--source kafka needs --group');
  const deadLetterTopic = values['dead-letter-topic'] as string | undefined;
  // A topic name takes letters, digits, '.', '_' and '-' only.
  const lateStateTopic = (values['late-state-topic'] as string | undefined) ?? `${groupId.replace(/[^a-zA-Z0-9._-]/g, '_')}.late-state`;
  // Written into the input, letters or marks would be read back as rows (letters again and again);
  // into the output or each other, they would be mixed with records of another kind.
  const topics: [string, string | undefined][] = [
    ['--input-topic', inputTopic],
    ['--topic', values.topic as string],
    ['--dead-letter-topic', deadLetterTopic],
    [values['late-state-topic'] === undefined ? `the late-state topic (--late-state-topic, default <group>.late-state)` : '--late-state-topic', lateStateTopic],
  ];
  for (const [i, [name, topic]] of topics.entries()) {
    const same = topics.slice(0, i).find(([, other]) => topic !== undefined && other === topic);
    if (same) throw new UsageError(`${same[0]} and ${name} must differ: both name topic "${topic}"`);
  }
  const triggerEvents = values['trigger-events'] === undefined ? undefined : parseCount('trigger-events', values['trigger-events'] as string);
  if (triggerEvents === 0) throw new UsageError('--trigger-events must be at least 1');
  if (values.client === 'kafkajs') throw new UsageError('--source kafka runs on the default client: kafkajs has no group-fenced transactions');
  const guarantee = parseChoice('guarantee', values.guarantee as string | undefined, GUARANTEES, 'exactly-once');
  if (values['transaction-timeout'] !== undefined && guarantee !== 'exactly-once') throw new UsageError('--transaction-timeout needs --guarantee exactly-once');
  return {
    inputTopic,
    groupId,
    triggerIntervalMs: parseSeconds('trigger-interval', values['trigger-interval'], 20) * 1000,
    triggerEvents,
    startFrom: parseChoice('start-from', values['start-from'] as string | undefined, ['earliest', 'latest'] as const, 'earliest'),
    late: parseChoice('late', values.late as string | undefined, ['deliver', 'dead-letter'] as const, 'deliver'),
    lateStateVisits: parseCount('late-state-visits', values['late-state-visits'] as string | undefined, DEFAULT_LATE_STATE_VISITS),
    lateStateAgeMs: parseSeconds('late-state-ttl', values['late-state-ttl'], DEFAULT_LATE_STATE_AGE_MS / 1000) * 1000,
    lateStateTopic,
    deadLetterTopic,
    sessionTimeoutMs: parseSeconds('session-timeout', values['session-timeout'], 30) * 1000,
    shutdownTimeoutMs: parseSeconds('shutdown-timeout', values['shutdown-timeout'], 60) * 1000,
    guarantee,
    transactionTimeoutMs:
      values['transaction-timeout'] === undefined ? undefined : parseSeconds('transaction-timeout', values['transaction-timeout'], 60) * 1000,
  };
}

function port(raw: string): number {
  const value = parseCount('metrics-port', raw);
  if (value > 65535) throw new UsageError(`--metrics-port must be a TCP port (0 to 65535), got "${raw}"`);
  return value;
}

/** A duration in seconds, from `500ms`, `20s`, `2m`, `1h` or a bare number of seconds. */
function parseSeconds(name: string, raw: string | boolean | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const match = typeof raw === 'string' ? /^(\d+(?:\.\d+)?|\.\d+)\s*(ms|s|m|h)?$/.exec(raw.trim()) : null;
  const value = match ? Number(match[1]) * DURATION_UNITS[(match[2] ?? 's') as keyof typeof DURATION_UNITS] : NaN;
  if (!(value > 0)) throw new UsageError(`--${name} must be a positive duration such as 500ms, 20s, 2m or 1h (a bare number is seconds), got "${String(raw)}"`);
  return value;
}

const DURATION_UNITS = { ms: 0.001, s: 1, m: 60, h: 3600 };

function kafkaSettings(values: Record<string, string | boolean | undefined>): KafkaSinkSettings | undefined {
  const topic = values.topic as string | undefined;
  if (topic === undefined) {
    const stray = Object.keys(KAFKA_OPTIONS).find((flag) => values[flag] !== undefined);
    if (stray) throw new UsageError(`--${stray} needs --topic`);
    return undefined;
  }
  if (values.output !== undefined) throw new UsageError('--output and --topic are exclusive');
  const brokers = (values.brokers as string | undefined) ?? process.env.KAFKA_BROKERS;
  if (!brokers) throw new UsageError('--topic needs --brokers or KAFKA_BROKERS');
  const mechanism = values['sasl-mechanism'] as string | undefined;
  let sasl: KafkaConnection['sasl'];
  if (mechanism !== undefined) {
    const chosen = parseChoice('sasl-mechanism', mechanism, ['plain', 'scram-sha-256', 'scram-sha-512'] as const, 'plain');
    const username = (values['sasl-username'] as string | undefined) ?? process.env.KAFKA_SASL_USERNAME;
    const password = process.env.KAFKA_SASL_PASSWORD;
    if (!username || password === undefined) throw new UsageError('--sasl-mechanism needs --sasl-username (or KAFKA_SASL_USERNAME) and KAFKA_SASL_PASSWORD');
    sasl = { mechanism: chosen, username, password };
  } else {
    sasl = saslFromEnv();
  }
  const acks = parseChoice('acks', values.acks as string | undefined, ['all', '1', '0'] as const, 'all');
  // As Kafka's Java client: idempotent by default with acks=all, and never with fewer acks.
  const idempotent = (values.idempotent as boolean | undefined) ?? acks === 'all';
  const client = parseChoice('client', values.client as string | undefined, CLIENT_NAMES, 'platformatic');
  const compression = parseChoice('compression', values.compression as string | undefined, COMPRESSIONS, 'none');
  if (client === 'kafkajs' && compression !== 'none' && compression !== 'gzip')
    throw new UsageError(`--compression ${compression} needs the default client: kafkajs ships gzip only`);
  if (idempotent && acks !== 'all') throw new UsageError(`--idempotent needs --acks all (got --acks ${acks}); pass --no-idempotent for --acks ${acks}`);
  const connectTimeout = parseSeconds('connect-timeout', values['connect-timeout'], DEFAULT_CONNECT_TIMEOUT_MS / 1000);
  return {
    connection: {
      brokers,
      clientId: 'bin-packer',
      requestTimeoutMs: parseSeconds('request-timeout', values['request-timeout'], 30) * 1000,
      ...(values.ssl !== undefined && { ssl: values.ssl as boolean }),
      ...(values['ssl-ca'] !== undefined && { sslCa: values['ssl-ca'] as string }),
      ...(sasl && { sasl }),
    },
    topic,
    createPartitions: values['create-topic'] ? positiveCount('partitions', values.partitions as string | undefined, 6) : undefined,
    client,
    acks: acks === 'all' ? -1 : acks === '1' ? 1 : 0,
    compression,
    idempotent,
    maxRequestBytes: parseBytes('max-request-bytes', values['max-request-bytes'] as string | undefined, DEFAULT_MAX_REQUEST_BYTES),
    connectTimeoutMs: connectTimeout * 1000,
    deliveryTimeoutMs: parseSeconds('delivery-timeout', values['delivery-timeout'], 120) * 1000,
    barrier: parseChoice('barrier', values.barrier as string | undefined, ['batch', 'partition'] as const, 'partition'),
  };
}
