// @platformatic/kafka's errors, read: what the port's KafkaSendError says and whether it is worth a retry.
import { findErrorBy } from '@platformatic/kafka';
import { KafkaSendError } from './port.js';

/**
 * A failed send (or the transaction's adding of its partitions) as a KafkaSendError. The
 * client's retries are spent by then: for a topic the brokers do not know, a few seconds of
 * them (see the producers' retry delays), after which it was deleted during the run.
 */
export function toSendError(error: unknown, topic: string): KafkaSendError {
  if (error instanceof KafkaSendError) return error;
  if (topicUnknown(error)) return KafkaSendError.topicGone(topic, error);
  return new KafkaSendError(describe(error), !findErrorBy(error as Error, 'canRetry', false), { cause: error, acknowledged: writtenPartitions(error, topic) });
}

/** What a failed produce call says it wrote: partitions answered without an error, by the brokers that refused others and by those that took all. */
function writtenPartitions(error: unknown, topic: string): Set<number> {
  type Answer = { responses?: { name: string; partitionResponses: { index: number; errorCode: number }[] }[] };
  const written = new Set<number>();
  const produced = (error as { produced?: { offsets?: { topic: string; partition: number }[] } }).produced;
  for (const { topic: name, partition } of produced?.offsets ?? []) if (name === topic) written.add(partition);
  for (const e of nestedErrors(error)) {
    for (const { name, partitionResponses } of (e as { response?: Answer }).response?.responses ?? []) {
      if (name !== topic) continue;
      for (const { index, errorCode } of partitionResponses ?? []) if (errorCode === 0) written.add(index);
    }
  }
  return written;
}

/** The brokers said they host no such topic, in a produce answer or in the metadata the client fetched for it. */
export function topicUnknown(error: unknown): boolean {
  for (const e of nestedErrors(error)) {
    if ((e as { apiId?: unknown }).apiId === 'UNKNOWN_TOPIC_OR_PARTITION' || e.message.startsWith('Unknown topic ')) return true;
  }
  return false;
}

/** A client error and every error it wraps (an AggregateError's errors, causes), each once. */
function* nestedErrors(error: unknown, seen = new Set<unknown>()): Generator<Error> {
  if (!(error instanceof Error) || seen.has(error)) return;
  seen.add(error);
  yield error;
  const nested = (error as AggregateError).errors;
  if (Array.isArray(nested)) for (const inner of nested) yield* nestedErrors(inner, seen);
  yield* nestedErrors(error.cause, seen);
}

/** The innermost messages of a client error, each with the broker's error code when it has one. */
function describe(error: unknown): string {
  const messages = new Set<string>();
  const walk = (e: unknown) => {
    if (!(e instanceof Error)) return;
    const nested = (e as AggregateError).errors;
    const code = (e as { apiId?: unknown }).apiId;
    if (Array.isArray(nested) && nested.length > 0) nested.forEach(walk);
    else if (e.cause) walk(e.cause);
    else messages.add(typeof code === 'string' ? `${code}: ${e.message}` : e.message);
  };
  walk(error);
  return [...messages].join('; ') || String(error);
}
