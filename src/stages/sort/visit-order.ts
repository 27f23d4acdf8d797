import { compareSortKeys } from '../../events.js';

/** Above this many rows, a visit's rows are ordered by a comparator sort, not by insertion. */
const INSERTION_MAX_ROWS = 32;

/**
 * Row indexes in (visit_id, instant, arrival) order, for rows given as parallel key arrays.
 * Rows are grouped by visit first and only the distinct visit ids are sorted as strings: a
 * visit has a handful of rows, so this beats one comparator sort over every row
 * (bench/README.md, "Figures behind constants"). A visit's rows are then ordered by insertion,
 * or by a comparator sort when the visit is long, so that a long visit whose rows arrive in
 * reverse time order costs n log n, not n².
 */
export function visitOrder(visitIds: readonly string[], times: readonly number[], seqs: readonly number[]): number[] {
  const count = visitIds.length;
  // Each visit's rows chained in arrival order: first row per visit, then next[row].
  const first = new Map<string, number>();
  const rows = new Int32Array(count);
  const next = new Int32Array(count).fill(-1);
  const last = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const head = first.get(visitIds[i]!);
    if (head === undefined) {
      first.set(visitIds[i]!, i);
      last[i] = i;
      rows[i] = 1;
    } else {
      next[last[head]!] = i;
      last[head] = i;
      rows[head]!++;
    }
  }
  // Rows of one visit: by (instant, arrival).
  const byKey = (a: number, b: number) => compareSortKeys('', times[a]!, seqs[a]!, '', times[b]!, seqs[b]!);
  // The default sort compares UTF-16 code units, as compareSortKeys' < does.
  const ids = [...first.keys()].sort();
  const order = new Array<number>(count);
  let n = 0;
  for (const id of ids) {
    const visitStart = n;
    const head = first.get(id)!;
    if (rows[head]! > INSERTION_MAX_ROWS) {
      const visit: number[] = [];
      for (let i = head; i !== -1; i = next[i]!) visit.push(i);
      visit.sort(byKey);
      for (const i of visit) order[n++] = i;
      continue;
    }
    for (let i = head; i !== -1; i = next[i]!) {
      let j = n++;
      while (j > visitStart && byKey(order[j - 1]!, i) > 0) {
        order[j] = order[j - 1]!;
        j--;
      }
      order[j] = i;
    }
  }
  return order;
}
