const PREFIX = Buffer.from('{"delivery_batch":');
const KEY = Buffer.from(',"key":"');
const VALUE = Buffer.from('","value":');
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;
/**
 * Turns chunks of delivery lines (`{"delivery_batch":N,"key":"<visit_id>","value":<event>}`,
 * the NDJSON sink's format, batch after batch) back into Kafka records without parsing the
 * events: the value is the event's bytes as they stand in the line, and the key is the line's
 * key bytes, decoded only when it holds a JSON escape. So a merge on a worker thread can hand
 * the Kafka sink chunks of bytes instead of an object per event.
 */
export class DeliveryLineReader {
    partitionOf;
    current;
    carry;
    headers = new Map();
    constructor(partitionOf) {
        this.partitionOf = partitionOf;
    }
    /** Reads a chunk; returns the batches it completed (a batch ends where the next begins). */
    push(chunk) {
        const done = [];
        let data = chunk;
        if (this.carry) {
            data = Buffer.concat([this.carry, chunk]);
            this.carry = undefined;
        }
        let start = 0;
        for (;;) {
            const end = data.indexOf(NEWLINE, start);
            if (end === -1)
                break;
            if (end > start)
                this.line(data, start, end, done);
            start = end + 1;
        }
        if (start < data.length)
            this.carry = Buffer.from(data.subarray(start));
        return done;
    }
    /** The last batch, once the lines have ended. */
    end() {
        if (this.carry)
            throw new Error('delivery lines ended in the middle of a line');
        const last = this.current;
        this.current = undefined;
        return last;
    }
    line(data, start, end, done) {
        const keyAt = end - start > PREFIX.length ? data.indexOf(KEY, start + PREFIX.length) : -1;
        const valueAt = keyAt === -1 ? -1 : data.indexOf(VALUE, keyAt + KEY.length);
        if (keyAt === -1 ||
            data.compare(PREFIX, 0, PREFIX.length, start, start + PREFIX.length) !== 0 ||
            valueAt === -1 ||
            valueAt >= end ||
            data[end - 1] !== 0x7d) {
            throw new Error(`not a delivery line: ${data.toString('utf8', start, Math.min(end, start + 120))}`);
        }
        const number = Number(data.toString('latin1', start + PREFIX.length, keyAt));
        if (this.current?.number !== number) {
            if (this.current)
                done.push(this.current);
            this.current = { number, byPartition: new Map() };
        }
        let key = data.subarray(keyAt + KEY.length, valueAt);
        if (key.includes(BACKSLASH))
            key = Buffer.from(JSON.parse(`"${key.toString('utf8')}"`));
        const partition = this.partitionOf(key);
        const record = { partition, key, value: data.subarray(valueAt + VALUE.length, end - 1), headers: this.headersOf(number) };
        const share = this.current.byPartition.get(partition);
        if (share)
            share.push(record);
        else
            this.current.byPartition.set(partition, [record]);
    }
    /** One headers array per batch, so the client can encode it once. */
    headersOf(batch) {
        let headers = this.headers.get(batch);
        if (!headers) {
            this.headers.clear();
            this.headers.set(batch, (headers = [['delivery_batch', String(batch)]]));
        }
        return headers;
    }
}
//# sourceMappingURL=delivery-line-reader.js.map