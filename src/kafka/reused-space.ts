const MIN_BYTES = 1024 * 1024;

/**
 * Space handed out in order and all taken back at once (reset), kept from one use to the
 * next: for bytes copied out before the next reset (a Produce request's record batches, which
 * the connection copies as soon as they are written).
 */
export class ReusedSpace {
  private space = Buffer.allocUnsafeSlow(0);
  private used = 0;

  /** What was handed out since the last reset is free again. */
  reset(): void {
    this.used = 0;
  }

  readonly take = (size: number): Buffer => {
    if (this.used + size > this.space.length) {
      // A larger space for the rest of this use and those after it; the old one stays
      // referenced by what was written into it.
      this.space = Buffer.allocUnsafeSlow(Math.max(size, 2 * this.space.length, MIN_BYTES));
      this.used = 0;
    }
    const taken = this.space.subarray(this.used, this.used + size);
    this.used += size;
    return taken;
  };
}
