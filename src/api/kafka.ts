// `bin-packer/kafka`: the sink that delivers batches in order, the client behind its port, and
// the read-back check.
export {
  KafkaSink,
  kafkaSink,
  BatchDeliveryError,
  type DeliveryBarrier,
  type DeliveryObserver,
  type KafkaSinkOptions,
  type KafkaSinkStats,
} from '../sinks/kafka-sink.js';
export { createKafkaClient, type KafkaConnection } from '../kafka/client.js';
export type { EncodedDeliveryBatch, RecordBatchLayout } from '../kafka/encoded-batches.js';
export { kafkajsProducer } from '../kafka/kafkajs.js';
export { javaPartitioner } from '../kafka/java-partitioner.js';
export {
  KafkaSendError,
  type ClientName,
  type Compression,
  type ConsumedRecord,
  type EncodedRecordBatch,
  type Isolation,
  type KafkaClient,
  type ReadOptions,
  type ReadSummary,
  type TopicConfig,
  type OutgoingRecord,
  type ProducerPort,
  type ProducerSettings,
} from '../kafka/port.js';
export { readTopicToEnd } from '../verify/read-topic.js';
export { OrderChecker, type DeliveredRecord, type VerifyReport, type Violation } from '../verify/order-checker.js';
