// `bin-packer/stages`: each stage a factory returning a Node stream, for stream.pipeline.
// binPack() is all of them in one, on worker threads; the others are the single-thread steps.
export { binPack, type BinPackOptions, type BinPackProgress, type BinPackStream } from '../sources/bin-pack.js';
export { readRowsFromFiles, type FileSourceOptions, type SourceProgress } from '../sources/file-source.js';
export { parseRows, type ParseRowsOptions, type ParseRowsStream } from '../stages/parse/parse-rows.js';
export type { InputFormat } from '../stages/parse/row-splitter.js';
export { validateEvents, type ValidateEventsStream, type ValidateStats } from '../stages/validate/validate-events.js';
export { sortEvents, type SortEventsStream } from '../stages/sort/sort-events.js';
export type { ExternalSortOptions, SortStats } from '../stages/sort/external-sorter.js';
export { dedupeEvents, type DedupeEventsStream, type DedupeStats } from '../stages/dedupe/dedupe-events.js';
export { binEvents, type BinEventsStream } from '../stages/bin/bin-events.js';
export type { BinnerOptions, BinStats } from '../stages/bin/binner-options.js';
export { markLateEvents, type LatePolicy, type LateStats, type MarkLateEventsStream, type MarkLateOptions } from '../stages/late/mark-late-events.js';
export { binToNdjson, type BinToNdjsonStream } from '../sinks/bin-to-ndjson.js';
export { ndjsonSink, type NdjsonSinkStats, type NdjsonSinkStream } from '../sinks/ndjson-sink.js';
