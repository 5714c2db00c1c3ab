/**
 * The k largest values of a pass with where they were read, kept sorted in a
 * region of a Float64Array so the list travels and merges with the state it
 * belongs to. Shared by `linreg report`'s top rows by Cook's distance
 * (engine/report/report-bins.ts) and the fit's `--diagnostics` top rows
 * (numerics/diagnostics/top-rows.ts).
 *
 * Each entry is `fields` doubles: (value, unit, row, …extra), row counted in
 * the unit as read. Entries are sorted by value descending, then unit
 * ascending, then row ascending: a total order, so merging two lists keeps
 * the same k whatever the merge tree, the number of workers or how the units
 * are sliced into rounds. NaN values are never offered (callers skip them).
 */

/** Where a list lives in its state. */
export interface TopList {
  readonly data: Float64Array;
  /** Index of the count of entries held. */
  readonly held: number;
  /** Offset of the first entry. */
  readonly base: number;
  /** Most entries kept. */
  readonly k: number;
  /** Doubles per entry, at least 3 (value, unit, row). */
  readonly fields: number;
}

/** Entry a (at oa of sa) comes before entry b: larger value, then smaller unit, then row. */
function before(sa: Float64Array, oa: number, sb: Float64Array, ob: number): boolean {
  const da = sa[oa] as number;
  const db = sb[ob] as number;
  if (da !== db) return da > db;
  const ua = sa[oa + 1] as number;
  const ub = sb[ob + 1] as number;
  if (ua !== ub) return ua < ub;
  return (sa[oa + 2] as number) < (sb[ob + 2] as number);
}

/**
 * Makes room for a value offered by one unit's rows, which arrive in row
 * order: returns the offset where the caller writes the entry (value, unit,
 * row, …), the later entries moved down and the count raised; −1 when the
 * value does not belong in the list. No allocation.
 */
export function topSlot(list: TopList, value: number): number {
  const { data: s, base, k, fields } = list;
  if (k === 0) return -1;
  const held = s[list.held] as number;
  // Rows arrive in unit order, so a tie with a held entry goes after it.
  if (held === k && !(value > (s[base + (k - 1) * fields] as number))) return -1;
  let at = Math.min(held, k - 1);
  while (at > 0 && value > (s[base + (at - 1) * fields] as number)) {
    s.copyWithin(base + at * fields, base + (at - 1) * fields, base + at * fields);
    at -= 1;
  }
  if (held < k) s[list.held] = held + 1;
  return base + at * fields;
}

/** a ← a ⊕ b: the k first entries of both lists in the total order (same k and fields). */
export function mergeTopLists(a: TopList, b: TopList): void {
  const { k, fields } = a;
  const na = a.data[a.held] as number;
  const nb = b.data[b.held] as number;
  if (nb === 0) return;
  const merged = new Float64Array(k * fields);
  let i = 0;
  let j = 0;
  let n = 0;
  while (n < k && (i < na || j < nb)) {
    const oa = a.base + i * fields;
    const ob = b.base + j * fields;
    const takeA = j >= nb || (i < na && before(a.data, oa, b.data, ob));
    const o = takeA ? oa : ob;
    merged.set((takeA ? a.data : b.data).subarray(o, o + fields), n * fields);
    if (takeA) i += 1;
    else j += 1;
    n += 1;
  }
  a.data.set(merged.subarray(0, n * fields), a.base);
  a.data[a.held] = n;
}

/** The offsets of the entries held, in order. */
export function topOffsets(list: TopList): number[] {
  const out: number[] = [];
  const held = list.data[list.held] as number;
  for (let i = 0; i < held; i++) out.push(list.base + i * list.fields);
  return out;
}
