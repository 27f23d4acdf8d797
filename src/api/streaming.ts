// `bin-packer/streaming`: a topic consumed in micro-batches, delivered with the same pattern.
export { startStreamingJob, type StreamingJob, type StreamingJobOptions, type StreamingTotals } from '../streaming/streaming-job.js';
