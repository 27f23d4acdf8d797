import type { KafkaClient } from './port.js';
export declare class TopicMissingError extends Error {
    name: string;
}
/** What a missing topic's error adds when the command can create it. */
export declare const CREATE_TOPIC_HINT = "create it, or pass --create-topic --partitions N";
/**
 * The topic's partition count. A missing topic is created when `createPartitions` is given,
 * and is otherwise an error, with `hint` on how to create it.
 */
export declare function requireTopic(client: KafkaClient, topic: string, options: {
    brokers: string;
    createPartitions?: number | undefined;
    hint?: string;
}): Promise<{
    partitions: number;
    created: boolean;
}>;
