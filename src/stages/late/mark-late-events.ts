import { Transform } from 'node:stream';
import type { DeadLetterSink } from '../../dead-letter/dead-letter.js';
import type { Position, VisitEvent } from '../../events.js';
import type { VisitWatermarks } from './visit-watermarks.js';
import { mapChunk, type Chunk } from '../chunk.js';

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
  const mark = (event: VisitEvent): VisitEvent | undefined => {
    const latest = watermarks.observe(event.visitId, event.time, partitionOf(event));
    if (latest !== undefined) {
      stats.late++;
      if (policy === 'dead-letter') {
        deadLetters.write({
          reason: `late event: visit ${event.visitId} at ${new Date(event.time).toISOString()} is older than its event at ${new Date(latest).toISOString()}, already delivered`,
          position: options.positionOf(event),
          raw: event.text,
        });
        return undefined;
      }
      event.late = true;
    }
    return event;
  };
  const stream = new Transform({
    objectMode: true,
    transform(chunk: Chunk<VisitEvent>, _encoding, callback) {
      let marked: Chunk<VisitEvent> | undefined;
      try {
        marked = mapChunk(chunk, mark);
      } catch (error) {
        return callback(error as Error);
      }
      callback(null, marked);
    },
  });
  return Object.assign(stream, { stats });
}
