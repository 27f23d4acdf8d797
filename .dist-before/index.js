// The package's entry point, `bin-packer`: the ordering job as one stage (binPack), the file job
// as the CLI runs it, and where bad rows go. Single stages are in `bin-packer/stages`, Kafka in
// `bin-packer/kafka`, streaming mode in `bin-packer/streaming`. Importing has no side effects.
export { binPack } from './sources/bin-pack.js';
export { startFilePipeline } from './run-pipeline.js';
export { DeadLetterCollector, DeadLetterFile } from './dead-letter/dead-letter.js';
export { TooManyInvalidRowsError } from './dead-letter/dead-letter-limit.js';
export { createLogger } from './logger.js';
//# sourceMappingURL=index.js.map