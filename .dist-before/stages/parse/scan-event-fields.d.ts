import type { DeadLetter } from '../../dead-letter/dead-letter.js';
import type { ParsedRow, Position } from '../../events.js';
/** The two fields the pattern orders by, as JSON.parse would give them. */
export interface EventFields {
    visitId: string;
    eventTime: string | number;
}
/**
 * A row whose visit_id and event_time were read by scanEventFields and nothing else: `value`
 * holds just those two, and the text is decoded only if something asks for it.
 */
export declare class ScannedRow implements ParsedRow {
    readonly bytes: Buffer;
    readonly position: Position;
    readonly fields: EventFields;
    constructor(bytes: Buffer, position: Position, fields: EventFields);
    get text(): string;
    get value(): {
        visit_id: string;
        event_time: string | number;
    };
}
/** A RowParser for rows that only need their event fields: scans, and parses in full only what the scan declines. */
export declare function parseEventRow(bytes: Buffer, position: Position, note: string): ParsedRow | DeadLetter;
/**
 * Where scanFields found the two fields, as byte ranges of their string or number tokens
 * (quotes included), -1 when absent or of another type; valid until the next call.
 */
export declare const foundFields: {
    visitStart: number;
    visitEnd: number;
    visitEscaped: boolean;
    timeStart: number;
    timeEnd: number;
    timeIsString: boolean;
    timeEscaped: boolean;
};
/**
 * visit_id and event_time of a row, read by a validating scanner instead of JSON.parse, which
 * builds the whole object only for it to be thrown away (~1 s per worker per million events,
 * 40% of a sort worker's time). Returns the fields only when the row is valid UTF-8 and valid
 * JSON (RFC 8259), a top-level object, with visit_id a non-empty string and event_time a string
 * or number, the last of duplicated keys winning as in JSON.parse. Anything else returns
 * undefined, and the caller parses the row fully, which also says what is wrong: so this
 * scanner only ever has to be right about what it accepts.
 */
export declare function scanEventFields(bytes: Buffer): EventFields | undefined;
/**
 * scanEventFields' scan of `bytes[start, end)`, without the UTF-8 check (the caller's) and
 * without making strings: true if the row is a valid JSON object with a visit_id string
 * (possibly empty) and a string or number event_time, whose ranges are then in foundFields.
 * Past the end it may look at bytes[end], which must be a newline or CR if there is one:
 * neither can continue a token, so the row is read as if it ended there.
 */
export declare function scanFields(bytes: Buffer, start: number, end: number): boolean;
