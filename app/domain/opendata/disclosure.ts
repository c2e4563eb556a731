/**
 * Small-count suppression for everything Quorum publishes (open data, public results).
 *
 * Primary suppression: every count from 1 to k − 1 is withheld (a 0 is published: it
 * tells nothing about anyone).
 *
 * Secondary suppression: counts are published in tables, each a total and the cells that
 * add up to it (a question's answers and its options, Other and prefer-not; a scale's
 * values; a ranking item's positions; one position across the items…). If exactly one
 * member of a table (total or cell) is withheld, it could be worked out by subtraction,
 * so the smallest other cell still published is withheld too (non-zero counts first, ties
 * in table order; the total when no cell is left). This repeats until no table has exactly
 * one withheld member, so a withheld count can never be recomputed from one table's
 * total and other cells, even where a total belongs to several tables.
 *
 * Multiple-choice tables do not add up (one answer may tick several options); they are
 * treated as if they did, which only withholds a little more.
 *
 * Derived figures follow their counts: a share is withheld when its count or its base is,
 * a mean when any count of its distribution (or the distribution's total) is.
 */

/** A total and the cells that add up to it, by cell id. */
export interface CountTable {
  total: string;
  cells: string[];
}

export const DEFAULT_SMALL_COUNT_K = 5;

/** Whether a count is small enough to identify someone (1 to k − 1). */
export const isSmall = (n: number, k: number) => n >= 1 && n < k;

/**
 * The ids of the counts to withhold. `counts` holds every published count by id;
 * `tables` the sums a reader could use. Deterministic: the same input, the same output.
 */
export function suppressedCells(counts: ReadonlyMap<string, number>, tables: readonly CountTable[], k: number): Set<string> {
  const out = new Set<string>();
  for (const [id, n] of counts) if (isSmall(n, k)) out.add(id);
  const value = (id: string) => counts.get(id) ?? 0;
  for (let changed = true; changed;) {
    changed = false;
    for (const t of tables) {
      if (t.cells.length === 0) continue;
      const members = [t.total, ...t.cells];
      if (members.filter((id) => out.has(id)).length !== 1) continue;
      const open = t.cells.filter((id) => !out.has(id) && id !== t.total);
      // Non-zero counts first, smallest first; ties keep the table's order (sort is stable).
      open.sort((a, b) => (value(a) === 0 ? 1 : 0) - (value(b) === 0 ? 1 : 0) || value(a) - value(b));
      out.add(open[0] ?? t.total);
      changed = true;
    }
  }
  return out;
}
