import { Producer } from '@platformatic/kafka';
/** Makes the producer encode its Produce requests with encodeRecordBatch (v9 to v11; older brokers get the client's own). */
export declare function useFastProduce(producer: Producer<Buffer, Buffer, Buffer, Buffer>): void;
