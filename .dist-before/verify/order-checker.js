import { createHash } from 'node:crypto';
import { eventInstant } from '../stages/validate/event-time.js';
const MAX_EXAMPLES = 20;
/** A short digest of a record's bytes: enough to tell repeats apart without keeping them. */
export function digest(bytes) {
    return createHash('sha1').update(bytes).digest('base64');
}
/**
 * Checks a delivered stream in its delivery order (per partition, by offset): per visit, event
 * time never goes back (except for records marked late, which are counted) and delivery batches strictly increase; a visit stays on one partition;
 * keys are visit ids. Optionally checks that an expected set of events is there exactly once.
 */
export class OrderChecker {
    expected;
    visits = new Map();
    seen = new Map();
    batches = new Set();
    perPartition = {};
    examples = [];
    violations = 0;
    records = 0;
    duplicates = 0;
    late = 0;
    constructor(expected) {
        this.expected = expected;
    }
    add(record) {
        this.records++;
        this.perPartition[record.partition] = (this.perPartition[record.partition] ?? 0) + 1;
        const hash = digest(record.value);
        const count = (this.seen.get(hash) ?? 0) + 1;
        this.seen.set(hash, count);
        if (count > 1)
            this.duplicates++;
        const where = { partition: record.partition, offset: record.offset };
        let event;
        try {
            event = JSON.parse(record.value.toString('utf8'));
        }
        catch {
            return this.violate({ kind: 'bad record', message: `value is not JSON at partition ${record.partition} offset ${record.offset}`, ...where });
        }
        const time = eventInstant(event?.event_time);
        const batch = Number(record.batch);
        if (typeof event?.visit_id !== 'string' || typeof time === 'string' || !Number.isInteger(batch) || batch < 1) {
            return this.violate({
                kind: 'bad record',
                message: `record without visit_id, event_time instant or delivery_batch header at partition ${record.partition} offset ${record.offset}`,
                ...where,
            });
        }
        const visitId = event.visit_id;
        const text = String(event.event_time);
        this.batches.add(batch);
        if (record.key !== visitId) {
            this.violate({ kind: 'key is not visit_id', message: `key ${JSON.stringify(record.key)} for visit ${visitId}`, ...where });
        }
        const last = this.visits.get(visitId);
        if (last) {
            if (last.partition !== record.partition) {
                this.violate({ kind: 'visit on two partitions', message: `visit ${visitId} on partitions ${last.partition} and ${record.partition}`, ...where });
            }
            if (count === 1 && time < last.time) {
                if (record.late)
                    this.late++;
                // The seed reader's wording, so its users recognise it.
                else
                    this.violate({
                        kind: 'time went back',
                        message: `Event time error detected for ${visitId} // ${text} not greater or equal to ${last.text}`,
                        ...where,
                    });
            }
            if (count === 1 && batch === last.batch) {
                this.violate({ kind: 'visit twice in a batch', message: `delivery batch ${batch} holds visit ${visitId} twice`, ...where });
            }
            else if (count === 1 && batch < last.batch) {
                this.violate({ kind: 'batch not increasing', message: `visit ${visitId}: batch ${batch} after batch ${last.batch}`, ...where });
            }
        }
        // A repeated record (a retry's duplicate) is counted, not held against the order.
        // A late event does not move its visit's time back for the events after it.
        if (count === 1)
            this.visits.set(visitId, last && time < last.time ? { ...last, batch } : { partition: record.partition, time, text, batch });
    }
    report() {
        const report = {
            records: this.records,
            perPartition: this.perPartition,
            visits: this.visits.size,
            batches: this.batches.size,
            duplicates: this.duplicates,
            late: this.late,
            violations: this.violations,
            examples: this.examples,
            ok: false,
        };
        if (this.expected) {
            let missing = 0;
            let unexpected = 0;
            for (const [hash, want] of this.expected) {
                const got = this.seen.get(hash) ?? 0;
                if (got < want) {
                    missing += want - got;
                    this.violate({ kind: 'missing', message: `an expected event (sha1 ${hash}) was not delivered` });
                }
            }
            for (const [hash, got] of this.seen) {
                const want = this.expected.get(hash) ?? 0;
                if (want === 0) {
                    unexpected += got;
                    this.violate({ kind: 'unexpected', message: `a record (sha1 ${hash}) is not among the expected events` });
                }
            }
            report.missing = missing;
            report.unexpected = unexpected;
            report.violations = this.violations;
            // Exactly once: with expectations, repeats fail the check.
            report.ok = this.violations === 0 && this.duplicates === 0;
        }
        else {
            report.ok = this.violations === 0;
        }
        return report;
    }
    violate(violation) {
        this.violations++;
        if (this.examples.length < MAX_EXAMPLES)
            this.examples.push(violation);
    }
}
//# sourceMappingURL=order-checker.js.map