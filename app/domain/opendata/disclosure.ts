/**
 * How a small count is kept from the public (decision 061), table by table. Everything public
 * (results page, open data, data package) goes through `protectedRows` (protect.ts), which uses
 * these rules; staff figures stay exact.
 *
 * - A table whose cells add up to its total (one answer each: a single choice, a scale, who
 *   ranked what first, the channels) is never shown with a cell from 1 to k − 1. The rare answers
 *   are grouped into one "other answers" cell naming what it holds; while that group is still
 *   under k, the smallest other answer joins it. If the group would hold every answer, the table
 *   is not split at all (only its total is shown). A group's members are never shown alone, so
 *   no member can be worked out by subtraction; zeros stay (a 0 tells nothing about anyone).
 * - A scale is first grouped the way its words go: disagree (1–2) / neither (3) / agree (4–5),
 *   then two sides; only then rare values are grouped as above.
 * - A table whose cells do not add up (several answers each: a multiple choice) shows each cell
 *   alone: a count from 1 to k − 1 reads "fewer than k", and a count that leaves fewer than k
 *   people out reads "all but fewer than k". With no sum to subtract from, such a cell cannot
 *   be worked out from the others. Themes (staff's reading of texts) withhold only their small
 *   counts.
 * - How many answered a question is shown (it says nothing of what they answered); under k, the
 *   question shows nothing more. Visible texts under k are withheld, and so are the texts.
 * - Nothing but that fact is shown of a consultation with fewer than k answers.
 */

export const DEFAULT_SMALL_COUNT_K = 5;

/** Whether a count is small enough to identify someone (1 to k − 1). */
export const isSmall = (n: number, k: number) => n >= 1 && n < k;

/** A cell of a table before protection. */
export interface Cell {
  key: string;
  n: number;
}

/** A published cell: one or more of the table's cells, with their sum. */
export interface Part {
  keys: string[];
  n: number;
}

/**
 * An additive table (cells adding up to its total) with the rare cells grouped: every part is 0
 * or at least k. Null when the only safe grouping holds every non-zero cell (the table is not
 * split). The group keeps the table's order; it comes last.
 */
export function groupRare(cells: readonly Cell[], k: number): Part[] | null {
  if (!cells.some((c) => isSmall(c.n, k))) return cells.map((c) => ({ keys: [c.key], n: c.n }));
  const inGroup = new Set(cells.filter((c) => isSmall(c.n, k)).map((c) => c.key));
  let sum = cells.filter((c) => inGroup.has(c.key)).reduce((s, c) => s + c.n, 0);
  // Smallest first; ties keep the table's order (sort is stable).
  const rest = cells.filter((c) => !inGroup.has(c.key) && c.n > 0).sort((a, b) => a.n - b.n);
  while ((sum < k || pinned(cells, inGroup, k)) && rest.length) {
    const c = rest.shift()!;
    inGroup.add(c.key);
    sum += c.n;
  }
  if (cells.every((c) => c.n === 0 || inGroup.has(c.key))) return groupRuns(cells, k);
  const group = cells.filter((c) => inGroup.has(c.key));
  return [...cells.filter((c) => !inGroup.has(c.key)).map((c) => ({ keys: [c.key], n: c.n })), { keys: group.map((c) => c.key), n: sum }];
}

/**
 * When every answer is rare (a village: 4, 2, 2 and 3), neighbours in the questionnaire's order
 * (age groups, a scale's values) are joined into runs of at least k: "under 18 to 34: 5", "35 and
 * over: 6". A run closes as soon as it reaches k; a short last run joins the one before. Null when
 * fewer than two runs come out, or a run holds a cell of k or more, or a member could be pinned.
 */
export function groupRuns(cells: readonly Cell[], k: number): Part[] | null {
  if (cells.some((c) => c.n >= k)) return null;
  const runs: Part[] = [];
  let open: Part = { keys: [], n: 0 };
  for (const c of cells) {
    open.keys.push(c.key);
    open.n += c.n;
    if (open.n >= k) [runs[runs.length], open] = [open, { keys: [], n: 0 }];
  }
  if (open.keys.length && runs.length) {
    const last = runs[runs.length - 1];
    last.keys.push(...open.keys);
    last.n += open.n;
  }
  if (runs.length < 2) return null;
  const small = new Set(cells.filter((c) => isSmall(c.n, k)).map((c) => c.key));
  for (const run of runs) if (pinned(cells, new Set(run.keys.filter((key) => small.has(key))), k)) return null;
  return runs;
}

/**
 * Whether someone who knows how groups are made could pin a member of the group: its rare
 * members lie in 1 … k − 1, a larger member that joined lies between k and the smallest
 * answer shown on its own (it was the smallest left). Bounds are tightened with the group's sum
 * until they hold still; a member whose bounds meet is pinned, and one more answer joins.
 */
function pinned(cells: readonly Cell[], inGroup: ReadonlySet<string>, k: number): boolean {
  const members = cells.filter((c) => inGroup.has(c.key));
  if (members.length < 2) return false;
  const shown = cells.filter((c) => !inGroup.has(c.key) && c.n > 0).map((c) => c.n);
  const ceiling = shown.length ? Math.min(...shown) : Infinity;
  const sum = members.reduce((s, c) => s + c.n, 0);
  const lo = members.map((c) => (isSmall(c.n, k) ? 1 : k));
  const hi = members.map((c) => (isSmall(c.n, k) ? k - 1 : Math.min(ceiling, sum)));
  for (let changed = true; changed;) {
    changed = false;
    const sumLo = lo.reduce((s, v) => s + v, 0);
    const sumHi = hi.reduce((s, v) => s + v, 0);
    for (let i = 0; i < members.length; i++) {
      const l = Math.max(lo[i], sum - (sumHi - hi[i]));
      const h = Math.min(hi[i], sum - (sumLo - lo[i]));
      if (l !== lo[i] || h !== hi[i]) [lo[i], hi[i], changed] = [l, h, true];
    }
  }
  return lo.some((l, i) => l >= hi[i]);
}

/** The ways a 1–5 agreement scale may be grouped, finest first: as given, three levels, two sides. */
export const SCALE_GROUPINGS: readonly (readonly string[][])[] = [
  [["1"], ["2"], ["3"], ["4"], ["5"]],
  [["1", "2"], ["3"], ["4", "5"]],
  [
    ["1", "2", "3"],
    ["4", "5"],
  ],
  [
    ["1", "2"],
    ["3", "4", "5"],
  ],
];

/**
 * A scale's table (values 1–5 and prefer-not when it applies), grouped by meaning first: the
 * finest grouping whose value parts are all 0 or at least k. A rare prefer-not then joins the
 * smallest part as any rare answer would (`groupRare`). Null when no grouping is safe (the table
 * is not split). `fine` when every value is shown alone (a mean then tells nothing more).
 */
export function groupScale(values: readonly number[], preferNot: number | null, k: number): { parts: Part[]; fine: boolean } | null {
  for (const [i, grouping] of SCALE_GROUPINGS.entries()) {
    const valueParts = grouping.map((keys) => ({ key: keys.join("+"), n: keys.reduce((s, v) => s + values[Number(v) - 1], 0) }));
    if (valueParts.some((p) => isSmall(p.n, k))) continue;
    const cells = preferNot === null ? valueParts : [...valueParts, { key: "prefer_not", n: preferNot }];
    const grouped = groupRare(cells, k);
    if (!grouped) continue;
    const parts = grouped.map((p) => ({ keys: p.keys.flatMap((key) => key.split("+")), n: p.n }));
    return { parts, fine: i === 0 && grouped.every((p) => p.keys.length === 1) };
  }
  const runs = groupRuns(
    [1, 2, 3, 4, 5].map((v) => ({ key: String(v), n: values[v - 1] })).concat(preferNot === null ? [] : [{ key: "prefer_not", n: preferNot }]),
    k,
  );
  return runs ? { parts: runs, fine: false } : null;
}

/** Why a cell of a non-additive table is withheld, or null when it is shown. */
export type Withheld = "fewer" | "all_but_fewer";

/** A cell of a table whose cells do not add up (multiple choice, themes), against its base. */
export function withheldAlone(n: number, base: number, k: number): Withheld | null {
  if (isSmall(n, k)) return "fewer";
  if (isSmall(base - n, k)) return "all_but_fewer";
  return null;
}
