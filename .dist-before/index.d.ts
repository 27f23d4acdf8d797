export { binPack, type BinPackOptions, type BinPackProgress, type BinPackStream } from './sources/bin-pack.js';
export { startFilePipeline, type BatchSink, type FilePipelineOptions, type PipelineProgress, type RunSummary } from './run-pipeline.js';
export { DeadLetterCollector, DeadLetterFile, type DeadLetter, type DeadLetterSink } from './dead-letter/dead-letter.js';
export { TooManyInvalidRowsError } from './dead-letter/dead-letter-limit.js';
export { createLogger, type Logger } from './logger.js';
export type { DeliveryBatch, ParsedRow, Position, VisitEvent } from './events.js';
