/** What streaming mode promises about each input event's delivery (see StreamingJobOptions.guarantee). */
export type Guarantee = 'exactly-once' | 'at-least-once';
export declare const GUARANTEES: readonly Guarantee[];
