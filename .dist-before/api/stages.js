// `bin-packer/stages`: each stage a factory returning a Node stream, for stream.pipeline.
// binPack() is all of them in one, on worker threads; the others are the single-thread steps.
export { binPack } from '../sources/bin-pack.js';
export { readRowsFromFiles } from '../sources/file-source.js';
export { parseRows } from '../stages/parse/parse-rows.js';
export { validateEvents } from '../stages/validate/validate-events.js';
export { sortEvents } from '../stages/sort/sort-events.js';
export { dedupeEvents } from '../stages/dedupe/dedupe-events.js';
export { binEvents } from '../stages/bin/bin-events.js';
export { markLateEvents } from '../stages/late/mark-late-events.js';
export { binToNdjson } from '../sinks/bin-to-ndjson.js';
export { ndjsonSink } from '../sinks/ndjson-sink.js';
//# sourceMappingURL=stages.js.map