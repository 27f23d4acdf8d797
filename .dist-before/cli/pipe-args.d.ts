import { type KafkaConnection } from '../kafka/connection.js';
import { type ClientName, type Compression } from '../kafka/port.js';
import type { DeliveryBarrier } from '../sinks/kafka-sink.js';
import type { LatePolicy } from '../stages/late/mark-late-events.js';
import type { RunFiles } from './run-files.js';
import { type Guarantee } from '../streaming/guarantee.js';
export declare const DEFAULT_DEAD_LETTER_FILE = "dead-letter.ndjson";
export declare const USAGE = "Usage: bin-packer [pipe] [options] [FILE...|-]      (also: node dist/pipe.js ...)\n       bin-packer verify ...        check what a run delivered\n       bin-packer fixtures ...      generate test events\n       bin-packer kafka start|stop|status   a local Kafka broker for trying it out\nEach command has its own --help. A file named like a command: bin-packer pipe verify, or ./verify.\n\nOrders web-visit events for delivery: each visit's events in event-time order, spread over\ndelivery batches that never hold two events of one visit. Reads NDJSON or a top-level JSON\narray (detected from the first byte) from the FILEs in turn, or stdin ('-' or none), and\nwrites one NDJSON line per event, batch after batch, to stdout:\n  {\"delivery_batch\":N,\"key\":\"<visit_id>\",\"value\":<the event exactly as read>}\nLogs, progress and the summary go to stderr; stdout carries data only.\n\nInput\n  --format FORMAT          auto (default), ndjson or array\n  --max-row-bytes SIZE     longer rows are dead-lettered (default 1MiB)\nBad rows (malformed JSON, invalid UTF-8, missing or mistyped visit_id / event_time, ...)\n  --dead-letter FILE       where they go, one NDJSON line each with reason, position and raw\n                           text (default ./dead-letter.ndjson, created only if a row is bad)\n  --max-invalid N|P%       fail (exit 1) when more than N rows, or P% of the rows, are invalid\n                           (default: no limit)\n  --dedupe                 drop exact duplicates (same visit, instant and bytes) and count them\nOrdering\n  --sort-memory SIZE       memory for buffered events before a sorted run is spilled to disk\n                           (default 64MiB)\n  --temp-dir DIR           where the private run directory for spilled runs is made\n                           (default: the OS temp dir)\n  --workers N|auto         threads that parse, validate and sort parts of the input at once,\n                           sharing --sort-memory (16 MiB of it each for its own heap); NDJSON\n                           files, or stdin alone, which is first copied into the run directory\n                           (auto, the default: up to 2, one per core, when the input holds\n                           32 MiB or more, else 1)\n  --max-batch-records N    most events in one delivery batch (default 2000)\n  --max-batch-bytes SIZE   most bytes of events in one delivery batch (default 16MiB)\nKafka (without --topic the delivery lines go to stdout as NDJSON)\n  --topic T                produce the batches to topic T: key visit_id, value the event's bytes,\n                           header delivery_batch; batch n+1 starts once batch n is acknowledged\n  --brokers B              host:port[,host:port] (default: KAFKA_BROKERS)\n  --create-topic           create T when missing, with --partitions N (default 6)\n  --acks all|1|0           acknowledgement level (default all)\n  --compression C          none (default), gzip, snappy, lz4 or zstd (kafkajs: none or gzip)\n  --no-idempotent          turn off the idempotent producer (on by default with --acks all, as\n                           in Kafka's Java client): without it a retried request may duplicate\n                           records, counted in the summary's \"resent\"\n  --client C               the Kafka client: platformatic (@platformatic/kafka, default) or kafkajs\n  --max-request-bytes SIZE most bytes in one produce request; larger batches are split into\n                           several requests, in flight together (default 900KiB)\n  --connect-timeout TIME   fail when Kafka cannot be reached in this time (default 30s)\n  --request-timeout TIME   how long one produce request may wait for the broker before the\n                           client sends it again (default 30s, Kafka's request.timeout.ms)\n  --delivery-timeout TIME  how long a batch's records may keep being re-sent after retriable\n                           errors before the run fails (default 2m, Kafka's delivery.timeout.ms)\n  --barrier partition|batch  batch n+1's records for a partition wait only for batch n's records\n                           on that partition, so partitions move independently (default); or\n                           batch n+1 waits for all of batch n\n  --ssl                    TLS; --ssl-ca FILE adds a CA bundle (PEM)\n  --sasl-mechanism M       plain, scram-sha-256 or scram-sha-512, with --sasl-username U and the\n                           password in KAFKA_SASL_PASSWORD (or all three from KAFKA_SASL_MECHANISM,\n                           KAFKA_SASL_USERNAME, KAFKA_SASL_PASSWORD); credentials are never logged\nStreaming (--source kafka: consume a topic in micro-batches instead of reading files)\n  --source file|kafka      where events come from (default file)\n  --input-topic T          the topic to consume (events as values, ideally keyed by visit_id)\n  --group G                consumer group; instances with the same group share the partitions\n  --trigger-interval TIME  close a micro-batch this long after its first record (default 20s)\n  --trigger-events N       ...or once it holds N records, whichever comes first (default: none)\n  --start-from earliest|latest  where a group without committed offsets starts (default earliest)\n  --late deliver|dead-letter  an event older than one already delivered for its visit in an\n                           earlier micro-batch: deliver it with a header late=true, or\n                           dead-letter it (default deliver); either way it is counted\n  --late-state-visits N    visits whose last delivered time is remembered, ~160 bytes each\n                           (default 200000)\n  --late-state-ttl TIME    forget a visit not delivered to for this long (default 1h)\n  --late-state-topic T     keep that state in compacted topic T, created when missing with\n                           the input's partitions (default <group>.late-state): a restarted or\n                           rebalanced instance reads it back and tells late events as before\n  --dead-letter-topic T    send bad rows to topic T instead of the --dead-letter file\n  --session-timeout TIME   consumer group session timeout (default 30s)\n  --shutdown-timeout TIME  on SIGTERM/SIGINT, give the last micro-batch this long to be\n                           delivered and committed before exiting 1 uncommitted (default 1m)\n  --guarantee G            exactly-once (default): a micro-batch's output, its\n                           --dead-letter-topic records and its offsets commit in one\n                           transaction; read_committed consumers see each event once, and an\n                           instance that lost its partitions is fenced. at-least-once: offsets\n                           are committed once the delivery is acknowledged, so a crash delivers\n                           the micro-batch again (readers need no read_committed)\n  --transaction-timeout TIME  exactly-once: the broker aborts a transaction open this long\n                           (default 3 trigger intervals, at least 60s, at most 15m)\n  Needs --topic (the output topic) and --brokers; the dead-letter file is appended to (in\n  exactly-once runs too, so a letter of an aborted micro-batch may appear twice in it).\n  SIGTERM or SIGINT: deliver and commit the current micro-batch, leave the group, exit 0.\nOutput\n  --output FILE            write the delivery lines to FILE instead of stdout\n  --progress, --no-progress  progress line on stderr (default: when stderr is a terminal)\n  --metrics-port PORT      serve Prometheus metrics at /metrics and a health probe at /healthz\n                           on PORT (0: a free port, logged), in file runs and streaming mode\n  -h, --help               this text\nTIME is a duration: 500ms, 20s, 2m or 1h; a bare number is seconds. SIZE takes units: 64MiB, 512k.\n\nSIZE: bytes, or with a unit: 512KiB, 64MiB, 1GiB. LOG_LEVEL and LOG_PRETTY set the logs.\nExit codes: 0 success, 1 failure, 2 usage error, 130 interrupted (SIGINT), 143 terminated (SIGTERM).\n";
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
/** What a file run reads and writes: checked before the run starts (run-files.ts). */
export declare function runFiles(options: PipeOptions): RunFiles;
export declare function parsePipeArgs(argv: string[]): PipeOptions | 'help';
