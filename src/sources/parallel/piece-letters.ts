import { createReadStream, rmSync } from 'node:fs';
import { open } from 'node:fs/promises';
import type { DeadLetter, DeadLetterSink } from '../../dead-letter/dead-letter.js';
import type { FilePiece } from './plan-pieces.js';

/** Letters handed to the sink between waits for it to store them: its buffer stays this small. */
const FLUSH_BYTES = 1024 * 1024;

/**
 * The sort workers' dead letters, one NDJSON file per piece (see SortWorkerMessage), passed on
 * to the run's sink in input order once the workers are done. A worker numbers lines from its
 * piece's start; the lines before each piece are counted here meanwhile, and added. The copy
 * waits for the sink (flush) after every mebibyte, so a mostly-bad input streams through.
 */
export class PieceLetters {
  private readonly bases = new Map<number, number>();
  private readonly files = new Map<number, string>();

  constructor(
    private readonly pieces: FilePiece[],
    private readonly deadLetters: DeadLetterSink,
    /** Positions' source names for files read in place of an input (spooled stdin). */
    private readonly names: Map<string, string>,
  ) {
    pieces.forEach((piece, index) => piece.start === 0 && this.bases.set(index, 0));
  }

  /** Piece `piece`'s letters are in `file`. */
  add(piece: number, file: string): void {
    this.files.set(piece, file);
  }

  /** Counts the newlines before every piece that starts inside a file. */
  async countLines(): Promise<void> {
    let file: Awaited<ReturnType<typeof open>> | undefined;
    let filePath = '';
    let at = 0;
    let newlines = 0;
    const block = Buffer.allocUnsafe(1024 * 1024);
    try {
      for (const [index, piece] of this.pieces.entries()) {
        if (piece.start === 0) continue;
        if (piece.path !== filePath) {
          await file?.close();
          file = await open(piece.path, 'r');
          filePath = piece.path;
          at = 0;
          newlines = 0;
        }
        while (at < piece.start) {
          const { bytesRead } = await file!.read(block, 0, Math.min(block.length, piece.start - at), at);
          if (bytesRead === 0) break;
          for (let i = block.indexOf(0x0a, 0); i !== -1 && i < bytesRead; i = block.indexOf(0x0a, i + 1)) newlines++;
          at += bytesRead;
        }
        this.bases.set(index, newlines);
      }
    } finally {
      await file?.close();
    }
  }

  /** Passes every letter to the sink, piece by piece, removing each file once copied. Needs countLines() first. */
  async deliver(signal?: AbortSignal): Promise<void> {
    for (const index of [...this.files.keys()].sort((a, b) => a - b)) {
      const base = this.bases.get(index) ?? 0;
      const file = this.files.get(index)!;
      let unflushed = 0;
      let rest = '';
      for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 256 * 1024, ...(signal && { signal }) })) {
        const text = rest + (chunk as string);
        const lines = text.split('\n');
        rest = lines.pop()!;
        for (const line of lines) {
          const letter = JSON.parse(line) as DeadLetter;
          if (letter.position.line !== undefined) letter.position.line += base;
          letter.position.source = this.names.get(letter.position.source) ?? letter.position.source;
          this.deadLetters.write(letter);
          unflushed += line.length;
        }
        if (unflushed >= FLUSH_BYTES) {
          await this.deadLetters.flush?.();
          unflushed = 0;
        }
      }
      rmSync(file, { force: true });
    }
    await this.deadLetters.flush?.();
  }
}
