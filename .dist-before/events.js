/** The event's text as UTF-8 bytes: kept from where it was read when possible. */
export function eventBytes(event) {
    return event.bytes ?? Buffer.from(event.text, 'utf8');
}
/** An event read back from a run file: the text is decoded only if something asks for it. */
export class StoredEvent {
    visitId;
    time;
    seq;
    bytes;
    late;
    decoded;
    constructor(visitId, time, seq, bytes) {
        this.visitId = visitId;
        this.time = time;
        this.seq = seq;
        this.bytes = bytes;
    }
    get text() {
        // Decoded once: --dedupe and dead-lettering may ask more than once.
        return (this.decoded ??= this.bytes.toString('utf8'));
    }
}
/** Sort order of the pattern: visit, then instant, then arrival. */
export function compareEvents(a, b) {
    return compareSortKeys(a.visitId, a.time, a.seq, b.visitId, b.time, b.seq);
}
/** compareEvents over the keys alone, for sorts that keep events as bytes. */
export function compareSortKeys(visitA, timeA, seqA, visitB, timeB, seqB) {
    if (visitA !== visitB)
        return visitA < visitB ? -1 : 1;
    if (timeA !== timeB)
        return timeA < timeB ? -1 : 1;
    return seqA - seqB;
}
//# sourceMappingURL=events.js.map