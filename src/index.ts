// The public API: each stage is a factory returning a Node stream, over a pure core that can
// be driven without streams. Compose them with stream.pipeline, or use startFilePipeline.
export type { DeliveryBatch, ParsedRow, Position, VisitEvent } from './events.js';
export { compareEvents, compareSortKeys, eventBytes, StoredEvent } from './events.js';

export { parseRows, type ParseRowsOptions, type ParseRowsStream } from './stages/parse/parse-rows.js';
export { RowSplitter, DEFAULT_MAX_ROW_BYTES, parseRowBytes, type InputFormat, type RowHandler, type RowParser, type RowSplitterOptions, type LineTaker } from './stages/parse/row-splitter.js';
export { scanEventFields, parseEventRow, ScannedRow, type EventFields } from './stages/parse/scan-event-fields.js';
export { WasmFieldScanner, WASM_BLOCK_BYTES } from './stages/parse/wasm-field-scanner.js';
export { validateEvents, type ValidateEventsStream, type ValidateStats } from './stages/validate/validate-events.js';
export { toVisitEvent, eventSortKey, commonSortKey, sortKeyFound, type FieldScanner } from './stages/validate/validate-row.js';
export { eventInstant } from './stages/validate/event-time.js';
export { sortEvents, SortEventsStream } from './stages/sort/sort-events.js';
export { ExternalSorter, DEFAULT_SORT_MEMORY, type ExternalSortOptions, type SortStats } from './stages/sort/external-sorter.js';
export { RunBuilder } from './stages/sort/run-builder.js';
export { RunCursor, RunMerge } from './stages/sort/run-file.js';
export { sortFilesInParallel, canSortInParallel, defaultWorkers, ParallelSortedEvents, ParallelDeliveryLines, type ParallelSortOptions, type ParallelSortProgress } from './sources/parallel/sort-files-in-parallel.js';
export { planPieces, type FilePiece } from './sources/parallel/plan-pieces.js';
export { dedupeEvents, type DedupeEventsStream, type DedupeStats } from './stages/dedupe/dedupe-events.js';
export { binEvents, type BinEventsStream } from './stages/bin/bin-events.js';
export { Binner, DEFAULT_MAX_BATCH_BYTES, DEFAULT_MAX_BATCH_RECORDS, type BinnerOptions, type BinStats } from './stages/bin/binner.js';
export { BatchPlanner, type PlannedBatch } from './stages/bin/batch-planner.js';
export { ndjsonSink, deliveryLine, type NdjsonSinkStats, type NdjsonSinkStream } from './sinks/ndjson-sink.js';
export { DeliveryLines } from './sinks/delivery-lines.js';
export { binToNdjson, type BinToNdjsonStream } from './sinks/bin-to-ndjson.js';
export { MergeToNdjson } from './sinks/merge-to-ndjson.js';
export { LinePacker } from './sinks/line-packer.js';
export { readRowsFromFiles, type FileSourceOptions, type SourceProgress } from './sources/file-source.js';
export { filterEvents, type FilterEventsStream, type FilterStats } from './stages/filter/filter-events.js';
export { markLateEvents, type LatePolicy, type LateStats, type MarkLateEventsStream, type MarkLateOptions } from './stages/late/mark-late-events.js';

export { KafkaSink, kafkaSink, BatchDeliveryError, type DeliveryBarrier, type KafkaSinkOptions, type KafkaSinkStats } from './sinks/kafka-sink.js';
export { createKafkaClient, type KafkaConnection } from './kafka/client.js';
export { openOutput, KafkaUnavailableError, type OpenOutputOptions } from './kafka/open-output.js';
export { kafkajsProducer } from './kafka/kafkajs.js';
export { javaPartitioner } from './kafka/java-partitioner.js';
export { KafkaSendError, type ClientName, type Compression, type KafkaClient, type OutgoingRecord, type ProducerPort, type ProducerSettings } from './kafka/port.js';
export { startStreamingJob, type StreamingJob, type StreamingJobOptions, type StreamingTotals } from './streaming/streaming-job.js';
export { MicroBatch, type InputRecord, type MicroBatchOptions, type MicroBatchSummary } from './streaming/micro-batch.js';
export { VisitWatermarks, type VisitWatermarksOptions } from './streaming/visit-watermarks.js';
export { OrderChecker, type DeliveredRecord, type VerifyReport, type Violation } from './verify/order-checker.js';
export { readTopicToEnd } from './verify/read-topic.js';

export { DeadLetterCollector, DeadLetterFile, type DeadLetter, type DeadLetterSink } from './dead-letter/dead-letter.js';
export { DeadLetterLimit, TooManyInvalidRowsError } from './dead-letter/dead-letter-limit.js';
export { DeadLetterTopic } from './dead-letter/dead-letter-topic.js';
export { startFilePipeline, countsSoFar, type BatchSink, type FilePipelineOptions, type PipelineProgress, type RunSummary } from './run-pipeline.js';

export { generateEvents, type FixtureOptions, type FixtureRow } from './fixtures/generate-events.js';
export { fixtureStream } from './fixtures/fixture-stream.js';
export { startKafkaBroker, type LocalKafkaBroker, type StartBrokerOptions } from './kafka-local/broker.js';
export { createLogger, logger } from './logger.js';
