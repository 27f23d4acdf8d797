/** What streaming mode promises about each input event's delivery (see StreamingJobOptions.guarantee). */
export type Guarantee = 'exactly-once' | 'at-least-once';
export const GUARANTEES: readonly Guarantee[] = ['exactly-once', 'at-least-once'];
