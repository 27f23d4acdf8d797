// `bin-packer/streaming`: a topic consumed in micro-batches, delivered with the same pattern.
export {
  startStreamingJob,
  type DeliveryMoment,
  type StreamingJob,
  type StreamingJobOptions,
  type StreamingStatus,
  type StreamingTotals,
} from '../streaming/streaming-job.js';
export type { Guarantee } from '../streaming/guarantee.js';
