import { encodeRecord, RECORD_HEADER_BYTES, RunFileWriter } from './run-file.js';
import { visitOrder } from './visit-order.js';

/**
 * A sort buffer that keeps rows as bytes, already in the run-file format, in one arena of a
 * fixed size, with only the sort keys (visit_id, instant, arrival) as JS values beside them.
 * The parallel sort's workers fill one each: compared with buffering VisitEvents, no event
 * text ever becomes a long-lived JS string, so the garbage collector has little to copy and
 * the memory budget is the arena's size, not an estimate.
 */
export class RunBuilder {
  private arena: Buffer;
  private used = 0;
  private visitIds: string[] = [];
  private times: number[] = [];
  private seqs: number[] = [];
  private starts: number[] = [];

  constructor(readonly capacity: number) {
    this.arena = Buffer.allocUnsafe(capacity);
  }

  get count(): number {
    return this.visitIds.length;
  }

  /**
   * Adds a row, its exact bytes being `text[start, end)`. Returns false, adding nothing, when
   * the arena is too full: write the run and add it again. A row larger than the whole arena
   * gets an arena of its own.
   */
  add(visitId: string, time: number, seq: number, text: Buffer, start = 0, end = text.length): boolean {
    const worst = RECORD_HEADER_BYTES + 3 * visitId.length + end - start;
    if (this.used + worst > this.arena.length) {
      if (this.count > 0) return false;
      if (worst > this.arena.length) this.arena = Buffer.allocUnsafe(worst);
    }
    this.starts.push(this.used);
    this.visitIds.push(visitId);
    this.times.push(time);
    this.seqs.push(seq);
    this.used = encodeRecord(this.arena, this.used, time, seq, visitId, text, start, end);
    return true;
  }

  /** Writes the rows sorted by (visit_id, instant, arrival) to a new private file and empties the builder. Returns its size. */
  writeRun(path: string): number {
    const { starts, arena } = this;
    const order = visitOrder(this.visitIds, this.times, this.seqs);
    const writer = new RunFileWriter(path);
    try {
      for (const i of order) {
        const start = starts[i]!;
        writer.append(arena, start, start + 4 + arena.readUInt32LE(start));
      }
    } catch (error) {
      writer.discard();
      throw error;
    }
    const size = writer.close();
    this.used = 0;
    this.visitIds = [];
    this.times = [];
    this.seqs = [];
    this.starts = [];
    if (this.arena.length > this.capacity) this.arena = Buffer.allocUnsafe(this.capacity);
    return size;
  }
}
