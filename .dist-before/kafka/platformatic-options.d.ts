import type { ConnectionOptions } from '@platformatic/kafka';
import { type KafkaConnection } from './connection.js';
export interface BaseOptions extends ConnectionOptions {
    clientId: string;
    bootstrapBrokers: string[];
    timeout: number;
    retries: number;
    retryDelay: number | ((client: unknown, operation: string, attempt: number) => number);
}
export declare function baseOptions(connection: KafkaConnection): BaseOptions;
