import type { KafkaSinkSettings, PipeOptions, StreamingSettings } from './pipe-args.js';
/**
 * `pipe.js --source kafka`: runs the streaming job until SIGTERM/SIGINT, then lets it deliver
 * and commit its current micro-batch and leave the group (exit 0), within --shutdown-timeout.
 */
export declare function runStreaming(options: PipeOptions, streaming: StreamingSettings, kafkaSettings: KafkaSinkSettings): Promise<number>;
