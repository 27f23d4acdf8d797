/** Where a row came from: enough for a user to find it in the input. */
export interface Position {
  source: string;
  /** 1-based line, for NDJSON input. */
  line?: number;
  /** 0-based element index, for a top-level JSON array. */
  index?: number;
  /** For a Kafka record: its partition (source is then the topic). */
  partition?: number;
  /** Byte offset of the row's first byte in its source; for a Kafka record, its offset. */
  offset: number;
}

/** A row that is syntactically JSON, with its original text. */
export interface ParsedRow {
  /** The row exactly as read: what gets delivered. */
  text: string;
  value: unknown;
  position: Position;
}

/** A valid event, reduced to what ordering and delivery need. */
export interface VisitEvent {
  visitId: string;
  /** The event_time instant in epoch milliseconds (fractions keep sub-millisecond precision). */
  time: number;
  /** Arrival order over the whole run: the sort's tie-breaker, so the sort is stable. */
  seq: number;
  /** The original JSON text, delivered unchanged. */
  text: string;
  /**
   * Streaming mode: older than an event of its visit delivered in an earlier micro-batch.
   * Delivered with a `late` header (or dead-lettered, by policy).
   */
  late?: boolean;
}

/** One delivery batch: no two events of one visit; sent only after batch `number - 1` is acknowledged. */
export interface DeliveryBatch {
  number: number;
  events: VisitEvent[];
  /** UTF-8 bytes of the events' texts. */
  bytes: number;
}

/** Sort order of the pattern: visit, then instant, then arrival. */
export function compareEvents(a: VisitEvent, b: VisitEvent): number {
  if (a.visitId !== b.visitId) return a.visitId < b.visitId ? -1 : 1;
  if (a.time !== b.time) return a.time < b.time ? -1 : 1;
  return a.seq - b.seq;
}
