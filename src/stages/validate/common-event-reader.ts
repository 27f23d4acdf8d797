import { isUtf8 } from 'node:buffer';
import { StoredEvent } from '../../events.js';
import { WASM_BLOCK_BYTES, WasmFieldScanner } from '../parse/wasm-field-scanner.js';
import { EventBytes } from './event-bytes.js';
import { commonSortKey, sortKeyFound } from './validate-row.js';

const NEWLINE = 0x0a;

/** The thread's scanner: its WebAssembly memory is reused by every reader. */
let sharedScanner: WasmFieldScanner | undefined;

/**
 * Rows that arrive one Buffer each (Kafka record values) straight to StoredEvents when they are
 * in the layout nearly every event has (commonSortKey): each is scanned by the WebAssembly
 * scanner in a copy in its block, and kept as a copy in `bytes`, with no row, field or position
 * object on the way. read() answers undefined for any other row, valid or not: the caller then
 * takes the full path (parseEventRow, toVisitEvent with the same `bytes`), which also says
 * what is wrong. What the sort workers do for a file's lines, for rows that are not in one.
 */
export class CommonEventReader {
  /** Where the events' bytes are kept. */
  readonly bytes = new EventBytes();
  private readonly scanner = (sharedScanner ??= new WasmFieldScanner());

  read(row: Buffer, seq: number): StoredEvent | undefined {
    const length = row.length;
    if (length >= WASM_BLOCK_BYTES || !isUtf8(row)) return undefined;
    const block = this.scanner.block;
    block.set(row);
    block[length] = NEWLINE; // commonSortKey may look at the byte past the row
    const visitId = commonSortKey(block, 0, length, this.scanner);
    if (visitId === undefined) return undefined;
    const at = this.bytes.copy(row);
    return new StoredEvent(visitId, sortKeyFound.time, seq, this.bytes.last, at, at + length);
  }
}
