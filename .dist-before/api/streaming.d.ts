export { startStreamingJob, type DeliveryMoment, type StreamingJob, type StreamingJobOptions, type StreamingStatus, type StreamingTotals, } from '../streaming/streaming-job.js';
export type { Guarantee } from '../streaming/guarantee.js';
