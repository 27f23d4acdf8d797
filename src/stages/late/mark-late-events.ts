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
  /** The event's input partition, asked for every event passed on (default: positionOf's). */
  partitionOf?: (event: VisitEvent) => number | undefined;
}

export type MarkLateEventsStream = Transform & { readonly stats: LateStats };

/**
 * Over one micro-batch's sorted events: an event older than what an earlier micro-batch
 * already delivered for its visit is late. Policy `deliver` passes it on marked `late`
 * (the Kafka sink adds a `late` header); `dead-letter` sends it to the dead-letter sink.
 * Every event passed on advances its visit's watermark.
 */
export function markLateEvents(options: MarkLateOptions): MarkLateEventsStream {
  const { watermarks, policy, deadLetters } = options;
  const partitionOf = options.partitionOf ?? ((event: VisitEvent) => options.positionOf(event).partition);
  const stats: LateStats = { late: 0 };
  const stream = new Transform({
    objectMode: true,
    transform(event: VisitEvent, _encoding, callback) {
      const latest = watermarks.latest(event.visitId);
      if (latest !== undefined && event.time < latest) {
        stats.late++;
        if (policy === 'dead-letter') {
          try {
            deadLetters.write({
              reason: `late event: visit ${event.visitId} at ${new Date(event.time).toISOString()} is older than its event at ${new Date(latest).toISOString()}, already delivered`,
              position: options.positionOf(event),
              raw: event.text,
            });
          } catch (error) {
            return callback(error as Error);
          }
          return callback();
        }
        event.late = true;
        return callback(null, event);
      }
      watermarks.record(event.visitId, event.time, partitionOf(event));
      callback(null, event);
    },
  });
  return Object.assign(stream, { stats });
}
