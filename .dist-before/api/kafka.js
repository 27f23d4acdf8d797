// `bin-packer/kafka`: the sink that delivers batches in order, the client behind its port, and
// the read-back check.
export { KafkaSink, kafkaSink, BatchDeliveryError, } from '../sinks/kafka-sink.js';
export { createKafkaClient } from '../kafka/client.js';
export { kafkajsProducer } from '../kafka/kafkajs.js';
export { javaPartitioner } from '../kafka/java-partitioner.js';
export { KafkaSendError, } from '../kafka/port.js';
export { readTopicToEnd } from '../verify/read-topic.js';
export { OrderChecker } from '../verify/order-checker.js';
//# sourceMappingURL=kafka.js.map