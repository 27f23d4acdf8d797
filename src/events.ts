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
  /** The UTF-8 bytes `text` was decoded from (a view of the input): lets a sort keep bytes, not strings. */
  bytes?: Buffer;
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
   * The text's UTF-8 bytes, when the event was read back from bytes (a spilled run): sinks
   * deliver these and skip encoding the text again. Prefer eventBytes() to reading it directly.
   */
  bytes?: Buffer;
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

/** The event's text as UTF-8 bytes: kept from where it was read when possible. */
export function eventBytes(event: VisitEvent): Buffer {
  return event.bytes ?? Buffer.from(event.text, 'utf8');
}

/** The length of the event's text in UTF-8 bytes, without making a view of them. */
export function eventByteLength(event: VisitEvent): number {
  if (event instanceof StoredEvent) return event.byteLength;
  return event.bytes?.length ?? Buffer.byteLength(event.text, 'utf8');
}

/**
 * An event kept as its bytes (read from the input, or back from a run file): the text is decoded
 * only if something asks for it. It holds where the bytes lie, not a view of them: a view is an
 * object of its own, and a micro-batch's waiting events are what the garbage collector keeps
 * copying and marking (bench/README.md); `bytes` makes one when a sink asks.
 */
export class StoredEvent implements VisitEvent {
  late?: boolean;
  private decoded: string | undefined;
  constructor(
    readonly visitId: string,
    readonly time: number,
    readonly seq: number,
    /** The buffer the bytes lie in, from `start` to `end`. */
    readonly source: Buffer,
    readonly start: number,
    readonly end: number,
  ) {}

  get bytes(): Buffer {
    return this.source.subarray(this.start, this.end);
  }

  get byteLength(): number {
    return this.end - this.start;
  }

  get text(): string {
    // Decoded once: --dedupe and dead-lettering may ask more than once.
    return (this.decoded ??= this.source.toString('utf8', this.start, this.end));
  }
}

/** Sort order of the pattern: visit, then instant, then arrival. */
export function compareEvents(a: VisitEvent, b: VisitEvent): number {
  return compareSortKeys(a.visitId, a.time, a.seq, b.visitId, b.time, b.seq);
}

/** compareEvents over the keys alone, for sorts that keep events as bytes. */
export function compareSortKeys(visitA: string, timeA: number, seqA: number, visitB: string, timeB: number, seqB: number): number {
  if (visitA !== visitB) return visitA < visitB ? -1 : 1;
  if (timeA !== timeB) return timeA < timeB ? -1 : 1;
  return seqA - seqB;
}
