import { describe, expect, it } from 'vitest';
import { DeadLetterCollector } from '../../../src/dead-letter/dead-letter.js';
import type { VisitEvent } from '../../../src/events.js';
import { parseEventRow } from '../../../src/stages/parse/scan-event-fields.js';
import { validateEvents } from '../../../src/stages/validate/validate-events.js';

describe('validateEvents', () => {
  it('keeps each valid event as a copy of its bytes, in memory no other small buffer shares', () => {
    // In a mostly-bad input, a waiting event that shared Buffer.allocUnsafe's pool slab with
    // short-lived buffers (dead letters' lines) pinned the whole slab: 505 MB of peak RSS for
    // a run that needs 150.
    const stage = validateEvents({ deadLetters: new DeadLetterCollector() });
    const events: VisitEvent[] = [];
    stage.on('data', (event: VisitEvent) => events.push(event));
    const others: Buffer[] = [];
    const input = Buffer.from('{"visit_id":"v1","event_time":"2024-01-01T00:00:00Z","n":1}');
    for (let i = 0; i < 200; i++) {
      const row = parseEventRow(input, { source: 's', line: i + 1, offset: 0 }, '');
      if ('reason' in row) throw new Error(row.reason);
      stage.write(row);
      others.push(Buffer.allocUnsafe(64), Buffer.from(`a dead letter's line ${i}`));
    }
    expect(events).toHaveLength(200);
    const pooled = new Set(others.map((b) => b.buffer));
    for (const event of events) {
      expect(event.bytes?.equals(input)).toBe(true);
      expect(event.bytes!.buffer).not.toBe(input.buffer);
      expect(pooled.has(event.bytes!.buffer as ArrayBuffer)).toBe(false);
    }
  });
});
