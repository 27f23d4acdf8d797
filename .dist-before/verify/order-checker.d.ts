export interface DeliveredRecord {
    partition: number;
    offset: string;
    key: string | null;
    value: Buffer;
    /** The delivery_batch header, as sent. */
    batch: string | null;
    /** Streaming mode's `late` header: delivered knowingly after a later event of its visit. */
    late?: boolean;
}
export interface Violation {
    kind: 'time went back' | 'batch not increasing' | 'visit twice in a batch' | 'visit on two partitions' | 'key is not visit_id' | 'bad record' | 'missing' | 'unexpected';
    message: string;
    partition?: number;
    offset?: string;
}
export interface VerifyReport {
    records: number;
    perPartition: Record<number, number>;
    visits: number;
    batches: number;
    /** Records whose bytes were already seen (an exact repeat). */
    duplicates: number;
    /** Records with a `late` header that went back in time: counted, not violations. */
    late: number;
    violations: number;
    /** The first violations, with examples. */
    examples: Violation[];
    /** With expectations: valid input events not found, and records not among them. */
    missing?: number;
    unexpected?: number;
    ok: boolean;
}
/** A short digest of a record's bytes: enough to tell repeats apart without keeping them. */
export declare function digest(bytes: Buffer | string): string;
/**
 * Checks a delivered stream in its delivery order (per partition, by offset): per visit, event
 * time never goes back (except for records marked late, which are counted) and delivery batches strictly increase; a visit stays on one partition;
 * keys are visit ids. Optionally checks that an expected set of events is there exactly once.
 */
export declare class OrderChecker {
    private readonly expected?;
    private readonly visits;
    private readonly seen;
    private readonly batches;
    private readonly perPartition;
    private readonly examples;
    private violations;
    private records;
    private duplicates;
    private late;
    constructor(expected?: Map<string, number> | undefined);
    add(record: DeliveredRecord): void;
    report(): VerifyReport;
    private violate;
}
