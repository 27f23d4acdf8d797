/**
 * What the row and event stages pass on: one item, or a chunk of items in order. A chunk
 * costs the stream machinery one object (and one callback per stage) for all its items; a
 * stage answers a chunk with a chunk and a single item with a single item, so an embedder who
 * writes single rows reads single events.
 */
export type Chunk<T> = T | T[];

/**
 * Maps each item of a chunk, dropping those `map` answers undefined for. A single item stays
 * single; a chunk stays a chunk. Undefined when nothing is left.
 */
export function mapChunk<T extends object, U extends object>(chunk: Chunk<T>, map: (item: T) => U | undefined): Chunk<U> | undefined {
  if (!Array.isArray(chunk)) return map(chunk);
  const out: U[] = [];
  for (const item of chunk) {
    const mapped = map(item);
    if (mapped !== undefined) out.push(mapped);
  }
  return out.length > 0 ? out : undefined;
}

/** Calls `each` for every item of a chunk, in order. */
export function forEachIn<T extends object>(chunk: Chunk<T>, each: (item: T) => void): void {
  if (!Array.isArray(chunk)) each(chunk);
  else for (const item of chunk) each(item);
}
