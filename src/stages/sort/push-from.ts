import type { Readable } from 'node:stream';

/**
 * Pushes values from a synchronous iterator until the stream's buffer is full (the next _read
 * resumes) or the iterator ends (then ends the stream). A throw destroys the stream.
 */
export function pushFrom<T>(stream: Readable, iterator: Iterator<T>): void {
  try {
    for (;;) {
      const next = iterator.next();
      if (next.done) {
        stream.push(null);
        return;
      }
      if (!stream.push(next.value)) return;
    }
  } catch (error) {
    stream.destroy(error as Error);
  }
}

/** pushFrom for a stream of chunks: the iterator's values go out in arrays of up to `size`. */
export function pushChunksFrom<T>(stream: Readable, iterator: Iterator<T>, size: number): void {
  try {
    for (;;) {
      const chunk: T[] = [];
      let next = iterator.next();
      while (!next.done) {
        chunk.push(next.value);
        if (chunk.length === size) break;
        next = iterator.next();
      }
      const room = chunk.length === 0 || stream.push(chunk);
      if (next.done) {
        stream.push(null);
        return;
      }
      if (!room) return;
    }
  } catch (error) {
    stream.destroy(error as Error);
  }
}
