/** Bytes of released chunks a ChunkPool keeps for reuse, at most. */
const MAX_POOLED_BYTES = 4 * 1024 * 1024;

/**
 * Chunks of delivery lines that never leave the thread that wrote them (the merge worker
 * encoding them for Kafka at once), reused instead of left to the garbage collector: a
 * thread that allocates little on its heap rarely collects, and the chunks' memory, outside
 * the heap, piled up before it did (bench/README.md). Chunks are pooled by size; each has an
 * ArrayBuffer of its own, as DeliveryLines needs.
 */
export class ChunkPool {
  private readonly free = new Map<number, Buffer[]>();
  private pooledBytes = 0;

  readonly take = (size: number): Buffer => {
    const chunk = this.free.get(size)?.pop();
    if (!chunk) return Buffer.allocUnsafeSlow(size);
    this.pooledBytes -= size;
    return chunk;
  };

  /** Gives back chunks handed out by take() (or views of them) that nothing reads any more. */
  release(chunks: readonly Buffer[]): void {
    for (const chunk of chunks) {
      const whole = chunk.buffer as ArrayBuffer;
      if (this.pooledBytes + whole.byteLength > MAX_POOLED_BYTES) continue;
      let free = this.free.get(whole.byteLength);
      if (!free) this.free.set(whole.byteLength, (free = []));
      free.push(Buffer.from(whole));
      this.pooledBytes += whole.byteLength;
    }
  }
}
