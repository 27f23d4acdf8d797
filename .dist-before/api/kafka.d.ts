export { KafkaSink, kafkaSink, BatchDeliveryError, type DeliveryBarrier, type DeliveryObserver, type KafkaSinkOptions, type KafkaSinkStats, } from '../sinks/kafka-sink.js';
export { createKafkaClient, type KafkaConnection } from '../kafka/client.js';
export { kafkajsProducer } from '../kafka/kafkajs.js';
export { javaPartitioner } from '../kafka/java-partitioner.js';
export { KafkaSendError, type ClientName, type Compression, type ConsumedRecord, type Isolation, type KafkaClient, type ReadOptions, type ReadSummary, type OutgoingRecord, type ProducerPort, type ProducerSettings, } from '../kafka/port.js';
export { readTopicToEnd } from '../verify/read-topic.js';
export { OrderChecker, type DeliveredRecord, type VerifyReport, type Violation } from '../verify/order-checker.js';
