import { Transform } from 'node:stream';
import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
import type { Position, VisitEvent } from '../../events.js';
import type { VisitWatermarks } from './visit-watermarks.js';
export type LatePolicy = 'deliver' | 'dead-letter';
export interface LateStats {
    /** Late events seen, whichever the policy. */
    late: number;
}
export interface MarkLateOptions {
    watermarks: VisitWatermarks;
    policy: LatePolicy;
    deadLetters: DeadLetterSink;
    /** Where an event came from, for its dead letter, and its input partition for the watermark. */
    positionOf: (event: VisitEvent) => Position;
}
export type MarkLateEventsStream = Transform & {
    readonly stats: LateStats;
};
/**
 * Over one micro-batch's sorted events: an event older than what an earlier micro-batch
 * already delivered for its visit is late. Policy `deliver` passes it on marked `late`
 * (the Kafka sink adds a `late` header); `dead-letter` sends it to the dead-letter sink.
 * Every event passed on advances its visit's watermark.
 */
export declare function markLateEvents(options: MarkLateOptions): MarkLateEventsStream;
