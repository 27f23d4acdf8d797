const SLAB_BYTES = 64 * 1024;
/** Larger rows get a buffer of their own, so a slab's tail is never a large waste. */
const OWN_BUFFER_FROM = SLAB_BYTES / 8;

/**
 * Copies of valid events' bytes, packed into slabs that hold nothing else. Buffer.allocUnsafe's
 * shared pool would do it as fast, but other small buffers (dead letters' lines, keys) share its
 * 8 KiB slabs: in a mostly-bad input one waiting event then pinned a whole slab, and a
 * single-thread run of 90% bad rows peaked at 505 MB instead of 137-162 MB (bench/README.md).
 * Here a slab holds only events that wait together, so what they pin is what the sort counts,
 * plus one slab.
 */
export class EventBytes {
  private slab = Buffer.alloc(0);
  private used = 0;
  /** The buffer the last copy went into. */
  last = this.slab;

  /** Copies the bytes; returns where they start in `last`. */
  copy(bytes: Buffer): number {
    const length = bytes.length;
    if (length >= OWN_BUFFER_FROM) {
      this.last = Buffer.allocUnsafeSlow(length);
      this.last.set(bytes);
      return 0;
    }
    if (this.used + length > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.slab.set(bytes, at);
    this.used += length;
    this.last = this.slab;
    return at;
  }
}
