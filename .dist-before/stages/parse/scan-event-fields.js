import { isUtf8 } from 'node:buffer';
import { parseRowBytes } from './row-splitter.js';
const TAB = 0x09;
const NEWLINE = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const OPEN_BRACKET = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_BRACKET = 0x5d;
const LOWER_B = 0x62;
const LOWER_E = 0x65;
const LOWER_F = 0x66;
const LOWER_N = 0x6e;
const LOWER_R = 0x72;
const LOWER_T = 0x74;
const LOWER_U = 0x75;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
/** Deeper rows are left to JSON.parse rather than recursed into. */
const MAX_DEPTH = 256;
const TRUE = Buffer.from('true');
const FALSE = Buffer.from('false');
const NULL = Buffer.from('null');
const VISIT_ID = Buffer.from('visit_id');
const EVENT_TIME = Buffer.from('event_time');
/**
 * A row whose visit_id and event_time were read by scanEventFields and nothing else: `value`
 * holds just those two, and the text is decoded only if something asks for it.
 */
export class ScannedRow {
    bytes;
    position;
    fields;
    constructor(bytes, position, fields) {
        this.bytes = bytes;
        this.position = position;
        this.fields = fields;
    }
    get text() {
        return this.bytes.toString('utf8');
    }
    get value() {
        return { visit_id: this.fields.visitId, event_time: this.fields.eventTime };
    }
}
/** A RowParser for rows that only need their event fields: scans, and parses in full only what the scan declines. */
export function parseEventRow(bytes, position, note) {
    const fields = scanEventFields(bytes);
    return fields === undefined ? parseRowBytes(bytes, position, note) : new ScannedRow(bytes, position, fields);
}
/** Set by scanString: the string just scanned holds a backslash escape. */
let sawEscape = false;
/**
 * Where scanFields found the two fields, as byte ranges of their string or number tokens
 * (quotes included), -1 when absent or of another type; valid until the next call.
 */
export const foundFields = { visitStart: -1, visitEnd: -1, visitEscaped: false, timeStart: -1, timeEnd: -1, timeIsString: false, timeEscaped: false };
/**
 * visit_id and event_time of a row, read by a validating scanner instead of JSON.parse, which
 * builds the whole object only for it to be thrown away (~1 s per worker per million events,
 * 40% of a sort worker's time). Returns the fields only when the row is valid UTF-8 and valid
 * JSON (RFC 8259), a top-level object, with visit_id a non-empty string and event_time a string
 * or number, the last of duplicated keys winning as in JSON.parse. Anything else returns
 * undefined, and the caller parses the row fully, which also says what is wrong: so this
 * scanner only ever has to be right about what it accepts.
 */
export function scanEventFields(bytes) {
    if (!isUtf8(bytes) || !scanFields(bytes, 0, bytes.length))
        return undefined;
    const f = foundFields;
    const visitId = stringValue(bytes, f.visitStart, f.visitEnd, f.visitEscaped);
    if (visitId === '')
        return undefined;
    const eventTime = f.timeIsString ? stringValue(bytes, f.timeStart, f.timeEnd, f.timeEscaped) : Number(bytes.toString('latin1', f.timeStart, f.timeEnd));
    return { visitId, eventTime };
}
/**
 * scanEventFields' scan of `bytes[start, end)`, without the UTF-8 check (the caller's) and
 * without making strings: true if the row is a valid JSON object with a visit_id string
 * (possibly empty) and a string or number event_time, whose ranges are then in foundFields.
 * Past the end it may look at bytes[end], which must be a newline or CR if there is one:
 * neither can continue a token, so the row is read as if it ended there.
 */
export function scanFields(bytes, start, end) {
    const n = end;
    const f = foundFields;
    f.visitStart = f.timeStart = -1;
    let i = skipSpace(bytes, start, n);
    if (bytes[i] !== OPEN_BRACE)
        return false;
    i = skipSpace(bytes, i + 1, n);
    if (bytes[i] === CLOSE_BRACE)
        return false;
    for (;;) {
        if (bytes[i] !== QUOTE)
            return false;
        const keyStart = i + 1;
        i = scanString(bytes, keyStart, n);
        if (i < 0)
            return false;
        const keyEnd = i - 1;
        // An escaped key may spell visit_id: JSON.parse decides.
        if (sawEscape)
            return false;
        i = skipSpace(bytes, i, n);
        if (bytes[i] !== COLON)
            return false;
        i = skipSpace(bytes, i + 1, n);
        const valueStart = i;
        // A field of another type counts as absent: a later duplicate may still set it.
        if (keyEnd - keyStart === VISIT_ID.length && equalBytes(bytes, keyStart, VISIT_ID)) {
            if (bytes[i] === QUOTE) {
                i = scanString(bytes, i + 1, n);
                if (i < 0)
                    return false;
                f.visitStart = valueStart;
                f.visitEnd = i;
                f.visitEscaped = sawEscape;
            }
            else {
                i = scanValue(bytes, i, n, 1);
                if (i < 0)
                    return false;
                f.visitStart = -1;
            }
        }
        else if (keyEnd - keyStart === EVENT_TIME.length && equalBytes(bytes, keyStart, EVENT_TIME)) {
            const first = bytes[i];
            if (first === QUOTE) {
                i = scanString(bytes, i + 1, n);
                if (i < 0)
                    return false;
                f.timeStart = valueStart;
                f.timeEnd = i;
                f.timeIsString = true;
                f.timeEscaped = sawEscape;
            }
            else if (first === MINUS || isDigit(first)) {
                i = scanNumber(bytes, i, n);
                if (i < 0)
                    return false;
                f.timeStart = valueStart;
                f.timeEnd = i;
                f.timeIsString = false;
            }
            else {
                i = scanValue(bytes, i, n, 1);
                if (i < 0)
                    return false;
                f.timeStart = -1;
            }
        }
        else {
            i = scanValue(bytes, i, n, 1);
            if (i < 0)
                return false;
        }
        i = skipSpace(bytes, i, n);
        const next = bytes[i];
        if (next === COMMA) {
            i = skipSpace(bytes, i + 1, n);
        }
        else if (next === CLOSE_BRACE) {
            break;
        }
        else {
            return false;
        }
    }
    return skipSpace(bytes, i + 1, n) === n && f.visitStart >= 0 && f.timeStart >= 0;
}
/** A string token's value; `end` is just past its closing quote. */
function stringValue(bytes, start, end, escaped) {
    return escaped ? JSON.parse(bytes.toString('utf8', start, end)) : bytes.toString('utf8', start + 1, end - 1);
}
function equalBytes(bytes, at, word) {
    for (let k = 0; k < word.length; k++)
        if (bytes[at + k] !== word[k])
            return false;
    return true;
}
function skipSpace(bytes, i, n) {
    while (i < n) {
        const c = bytes[i];
        if (c !== SPACE && c !== NEWLINE && c !== CR && c !== TAB)
            break;
        i++;
    }
    return i;
}
/** From just past an opening quote; returns the index past the closing quote, or -1. */
function scanString(bytes, i, n) {
    sawEscape = false;
    while (i < n) {
        const c = bytes[i++];
        // Lowercase letters and UTF-8 sequences (valid: checked first) need one comparison.
        if (c > BACKSLASH)
            continue;
        if (c === QUOTE)
            return i;
        if (c === BACKSLASH) {
            sawEscape = true;
            const e = bytes[i++];
            if (e === LOWER_U) {
                for (let k = 0; k < 4; k++)
                    if (!isHexDigit(bytes[i++]))
                        return -1;
            }
            else if (e !== QUOTE && e !== BACKSLASH && e !== SLASH && e !== LOWER_B && e !== LOWER_F && e !== LOWER_N && e !== LOWER_R && e !== LOWER_T) {
                return -1;
            }
        }
        else if (c < SPACE) {
            return -1;
        }
    }
    return -1;
}
function isHexDigit(c) {
    return c !== undefined && ((c >= ZERO && c <= NINE) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
}
function isDigit(c) {
    return c !== undefined && c >= ZERO && c <= NINE;
}
/** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?; returns the index past it, or -1. */
function scanNumber(bytes, i, n) {
    if (bytes[i] === MINUS)
        i++;
    if (bytes[i] === ZERO)
        i++;
    else if (isDigit(bytes[i]))
        while (i < n && isDigit(bytes[i]))
            i++;
    else
        return -1;
    if (bytes[i] === DOT) {
        i++;
        if (!isDigit(bytes[i]))
            return -1;
        while (i < n && isDigit(bytes[i]))
            i++;
    }
    if (bytes[i] === LOWER_E || bytes[i] === UPPER_E) {
        i++;
        if (bytes[i] === PLUS || bytes[i] === MINUS)
            i++;
        if (!isDigit(bytes[i]))
            return -1;
        while (i < n && isDigit(bytes[i]))
            i++;
    }
    return i;
}
function scanLiteral(bytes, i, word) {
    return equalBytes(bytes, i, word) ? i + word.length : -1;
}
/** Any JSON value starting at i (no leading space); returns the index past it, or -1. */
function scanValue(bytes, i, n, depth) {
    const c = bytes[i];
    if (c === QUOTE)
        return scanString(bytes, i + 1, n);
    if (c === OPEN_BRACE)
        return scanObject(bytes, i + 1, n, depth + 1);
    if (c === OPEN_BRACKET)
        return scanArray(bytes, i + 1, n, depth + 1);
    if (c === LOWER_T)
        return scanLiteral(bytes, i, TRUE);
    if (c === LOWER_F)
        return scanLiteral(bytes, i, FALSE);
    if (c === LOWER_N)
        return scanLiteral(bytes, i, NULL);
    return scanNumber(bytes, i, n);
}
function scanObject(bytes, i, n, depth) {
    if (depth > MAX_DEPTH)
        return -1;
    i = skipSpace(bytes, i, n);
    if (bytes[i] === CLOSE_BRACE)
        return i + 1;
    for (;;) {
        if (bytes[i] !== QUOTE)
            return -1;
        i = scanString(bytes, i + 1, n);
        if (i < 0)
            return -1;
        i = skipSpace(bytes, i, n);
        if (bytes[i] !== COLON)
            return -1;
        i = scanValue(bytes, skipSpace(bytes, i + 1, n), n, depth);
        if (i < 0)
            return -1;
        i = skipSpace(bytes, i, n);
        const next = bytes[i];
        if (next === CLOSE_BRACE)
            return i + 1;
        if (next !== COMMA)
            return -1;
        i = skipSpace(bytes, i + 1, n);
    }
}
function scanArray(bytes, i, n, depth) {
    if (depth > MAX_DEPTH)
        return -1;
    i = skipSpace(bytes, i, n);
    if (bytes[i] === CLOSE_BRACKET)
        return i + 1;
    for (;;) {
        i = scanValue(bytes, i, n, depth);
        if (i < 0)
            return -1;
        i = skipSpace(bytes, i, n);
        const next = bytes[i];
        if (next === CLOSE_BRACKET)
            return i + 1;
        if (next !== COMMA)
            return -1;
        i = skipSpace(bytes, i + 1, n);
    }
}
//# sourceMappingURL=scan-event-fields.js.map