import type { DeliveryBatch, VisitEvent } from '../../src/events.js';

export function event(visitId: string, time: number, seq: number, text = `{"visit_id":"${visitId}","t":${time},"s":${seq}}`): VisitEvent {
  return { visitId, time, seq, text };
}

/** An event as plain data, whether it was buffered as text or read back from a run as bytes. */
export function plain(e: VisitEvent): VisitEvent {
  return { visitId: e.visitId, time: e.time, seq: e.seq, text: e.text, ...(e.late !== undefined && { late: e.late }) };
}

/** The batch invariants of the pattern; throws with the first one broken. */
export function assertBatchInvariants(batches: DeliveryBatch[], limits: { maxRecords: number; maxBytes: number }): void {
  const lastOfVisit = new Map<string, { batch: number; time: number; seq: number }>();
  batches.forEach((batch, i) => {
    if (batch.number !== i + 1) throw new Error(`batch ${i + 1} came as number ${batch.number}`);
    if (batch.events.length === 0) throw new Error(`batch ${batch.number} is empty`);
    if (batch.events.length > limits.maxRecords) throw new Error(`batch ${batch.number} holds ${batch.events.length} > ${limits.maxRecords} events`);
    const bytes = batch.events.reduce((sum, e) => sum + Buffer.byteLength(e.text), 0);
    if (bytes !== batch.bytes) throw new Error(`batch ${batch.number} says ${batch.bytes} bytes, holds ${bytes}`);
    if (bytes > limits.maxBytes && batch.events.length > 1) throw new Error(`batch ${batch.number} holds ${bytes} > ${limits.maxBytes} bytes`);
    const visits = new Set<string>();
    for (const e of batch.events) {
      if (visits.has(e.visitId)) throw new Error(`batch ${batch.number} holds visit ${e.visitId} twice`);
      visits.add(e.visitId);
      const last = lastOfVisit.get(e.visitId);
      if (last && (last.batch >= batch.number || last.time > e.time || (last.time === e.time && last.seq > e.seq))) {
        throw new Error(`visit ${e.visitId}: event seq ${e.seq} in batch ${batch.number} does not follow seq ${last.seq} in batch ${last.batch}`);
      }
      lastOfVisit.set(e.visitId, { batch: batch.number, time: e.time, seq: e.seq });
    }
  });
}
