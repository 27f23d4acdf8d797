// `bin-packer/streaming`: a topic consumed in micro-batches, delivered with the same pattern.
export { startStreamingJob, } from '../streaming/streaming-job.js';
//# sourceMappingURL=streaming.js.map