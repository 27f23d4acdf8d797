/** Where one row of a micro-batch came from. */
export interface RecordOrigin {
  partition: number;
  offset: number;
  /** The assignment epoch in which it was read (see StreamingJob). */
  epoch: number;
}

/**
 * The origin of each row fed into a micro-batch, by arrival index (its event's `seq`),
 * so that events coming out of the sort can be traced back to their partition and offset.
 * Rows arrive in runs from one partition, so partitions and epochs are kept per run and only
 * the offsets per row.
 */
export class RecordOrigins {
  private readonly runStarts: number[] = [];
  private readonly runPartitions: number[] = [];
  private readonly runEpochs: number[] = [];
  private readonly offsets: number[] = [];

  get size(): number {
    return this.offsets.length;
  }

  add(partition: number, offset: number, epoch: number): void {
    const last = this.runStarts.length - 1;
    if (last < 0 || this.runPartitions[last] !== partition || this.runEpochs[last] !== epoch) {
      this.runStarts.push(this.offsets.length);
      this.runPartitions.push(partition);
      this.runEpochs.push(epoch);
    }
    this.offsets.push(offset);
  }

  of(index: number): RecordOrigin {
    const run = this.runOf(index);
    return { partition: this.runPartitions[run]!, offset: this.offsets[index]!, epoch: this.runEpochs[run]! };
  }

  /** The partition of row `index`: of(index).partition, without an object per row. */
  partitionOf(index: number): number {
    return this.runPartitions[this.runOf(index)]!;
  }

  /** The assignment epoch row `index` was read in. */
  epochOf(index: number): number {
    return this.runEpochs[this.runOf(index)]!;
  }

  private runOf(index: number): number {
    if (!(index >= 0 && index < this.offsets.length)) throw new RangeError(`no row ${index} in this micro-batch`);
    let low = 0;
    let high = this.runStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.runStarts[mid]! <= index) low = mid;
      else high = mid - 1;
    }
    return low;
  }
}
