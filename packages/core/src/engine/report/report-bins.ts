/**
 * The report's second pass: three B × B density grids and the k rows of
 * largest Cook's distance, in one Float64Array that merges exactly.
 *
 * ## Grids
 *
 * Over the first pass's ranges (report-ranges.ts), a value v in [lo, hi]
 * falls in bin ⌊(v − lo)·B/(hi − lo)⌋, clamped to B − 1 (hi itself is in the
 * last bin; a range of one value puts everything in bin 0). The grids count
 * rows of positive weight:
 *
 * 1. residuals vs fitted: (ŷ, e);
 * 2. scale–location: (ŷ, √|s|), √|s| from 0;
 * 3. residuals vs leverage: (h, s), h from 0 (empty without a leverage).
 *
 * Counts are integers below 2⁵³: they add exactly in any order, so the grids
 * do not depend on how the rows are split into units or workers.
 *
 * ## Top k by Cook's distance
 *
 * Each entry is (D, unit, row, ŷ, e, h, s), row counted in the unit as read
 * (dropped rows included), kept sorted by D descending, then unit and row
 * ascending: a total order, so merging two lists keeps the same k whatever
 * the merge tree (numerics/top/top-list.ts, shared with the fit's
 * `--diagnostics` top rows).
 *
 * ## Layout
 *
 * [rows, B, k, entries held, grid 1 (B², row-major: y bin · B + x bin),
 * grid 2, grid 3, k × 7 entry fields].
 */

import {
  KeptRows,
  mergeTopLists,
  type TopList,
  topOffsets,
  topSlot,
} from '../../numerics/top/index.js';
import {
  R_FIT_HI,
  R_FIT_LO,
  R_HAT_HI,
  R_RES_HI,
  R_RES_LO,
  R_ROOT_HI,
  R_STD_HI,
  R_STD_LO,
} from './report-ranges.js';
import type { ReportRows } from './report-rows.js';

const ROWS = 0;
const BINS = 1;
const TOP = 2;
const HELD = 3;
const HEAD = 4;
/** Fields of one top-k entry. */
export const ENTRY_FIELDS = 7;

/** The grids of a bins state. */
export type GridName = 'residualFitted' | 'scaleLocation' | 'residualLeverage';
const GRID_INDEX: Readonly<Record<GridName, number>> = {
  residualFitted: 0,
  scaleLocation: 1,
  residualLeverage: 2,
};

/** One row of the top k, its row within its unit as read. */
export interface TopEntry {
  readonly cook: number;
  readonly unit: number;
  readonly row: number;
  readonly fitted: number;
  readonly residual: number;
  readonly hat: number;
  readonly standardized: number;
}

export function createBins(bins: number, top: number): Float64Array {
  const s = new Float64Array(HEAD + 3 * bins * bins + top * ENTRY_FIELDS);
  s[BINS] = bins;
  s[TOP] = top;
  return s;
}

const gridOffset = (bins: number, grid: number): number => HEAD + grid * bins * bins;
const entryOffset = (bins: number, i: number): number => HEAD + 3 * bins * bins + i * ENTRY_FIELDS;

/** Rows counted (positive weight). */
export const binnedRows = (s: Float64Array): number => s[ROWS] as number;

/** A grid's counts, a view of B² values (y bin · B + x bin). */
export function gridCounts(s: Float64Array, grid: GridName): Float64Array {
  const b = s[BINS] as number;
  const o = gridOffset(b, GRID_INDEX[grid]);
  return s.subarray(o, o + b * b);
}

/** The top list inside a bins state. */
function topListOf(s: Float64Array): TopList {
  const b = s[BINS] as number;
  return {
    data: s,
    held: HELD,
    base: entryOffset(b, 0),
    k: s[TOP] as number,
    fields: ENTRY_FIELDS,
  };
}

export function topEntries(s: Float64Array): TopEntry[] {
  return topOffsets(topListOf(s)).map((o) => ({
    cook: s[o] as number,
    unit: s[o + 1] as number,
    row: s[o + 2] as number,
    fitted: s[o + 3] as number,
    residual: s[o + 4] as number,
    hat: s[o + 5] as number,
    standardized: s[o + 6] as number,
  }));
}

/** a ← a ⊕ b (returned): grids added, top lists merged. */
export function mergeBins(a: Float64Array, b: Float64Array): Float64Array {
  const bins = a[BINS] as number;
  a[ROWS] = (a[ROWS] as number) + (b[ROWS] as number);
  const end = entryOffset(bins, 0);
  for (let i = HEAD; i < end; i++) a[i] = (a[i] as number) + (b[i] as number);
  mergeTopLists(topListOf(a), topListOf(b));
  return a;
}

/** Fills one unit's bins state from its batches' report rows. */
export class BinsAccumulator {
  readonly state: Float64Array;
  readonly #ranges: Float64Array;
  readonly #unit: number;
  readonly #bins: number;
  readonly #top: number;
  readonly #list: TopList;
  /** Design row → row of the batch as read, when rows were dropped. */
  readonly #place = new KeptRows();

  constructor(ranges: Float64Array, bins: number, top: number, unit: number) {
    this.state = createBins(bins, top);
    this.#list = topListOf(this.state);
    this.#ranges = ranges;
    this.#unit = unit;
    this.#bins = bins;
    this.#top = top;
  }

  /**
   * Counts the first n rows of `rows`; `firstRow` is the batch's first row in
   * the unit as read and `dropMask` marks the batch's dropped rows (when any).
   */
  update(rows: ReportRows, n: number, firstRow: number, dropMask: Uint8Array | undefined): void {
    const s = this.state;
    const b = this.#bins;
    const r = this.#ranges;
    const g1 = gridOffset(b, 0);
    const g2 = gridOffset(b, 1);
    const g3 = gridOffset(b, 2);
    const fitLo = r[R_FIT_LO] as number;
    const fitScale = scaleOf(fitLo, r[R_FIT_HI] as number, b);
    const resLo = r[R_RES_LO] as number;
    const resScale = scaleOf(resLo, r[R_RES_HI] as number, b);
    const rootScale = scaleOf(0, r[R_ROOT_HI] as number, b);
    const stdLo = r[R_STD_LO] as number;
    const stdScale = scaleOf(stdLo, r[R_STD_HI] as number, b);
    const hatScale = scaleOf(0, r[R_HAT_HI] as number, b);
    const { fitted, residual, standardized, hat, cook } = rows;
    const leverage = rows.leverage;
    const place = dropMask === undefined ? undefined : this.#place.of(dropMask, n, 0);
    let counted = 0;
    for (let i = 0; i < n; i++) {
      const e = residual[i] as number;
      if (Number.isNaN(e)) continue;
      counted += 1;
      const f = fitted[i] as number;
      const st = standardized[i] as number;
      const fx = binOf(f, fitLo, fitScale, b);
      s[g1 + binOf(e, resLo, resScale, b) * b + fx] += 1;
      s[g2 + binOf(Math.sqrt(Math.abs(st)), 0, rootScale, b) * b + fx] += 1;
      if (!leverage) continue;
      const h = hat[i] as number;
      s[g3 + binOf(st, stdLo, stdScale, b) * b + binOf(h, 0, hatScale, b)] += 1;
      const d = cook[i] as number;
      if (this.#top > 0 && !Number.isNaN(d)) {
        const row = firstRow + (place === undefined ? i : (place[i] as number));
        this.#offer(d, row, f, e, h, st);
      }
    }
    s[ROWS] = (s[ROWS] as number) + counted;
  }

  /** Inserts a row into the sorted top list when it belongs there (no allocation). */
  #offer(d: number, row: number, f: number, e: number, h: number, st: number): void {
    const o = topSlot(this.#list, d);
    if (o < 0) return;
    const s = this.state;
    s[o] = d;
    s[o + 1] = this.#unit;
    s[o + 2] = row;
    s[o + 3] = f;
    s[o + 4] = e;
    s[o + 5] = h;
    s[o + 6] = st;
  }
}

/** Bins per unit of value over [lo, hi] (0 when the range is one value or empty). */
function scaleOf(lo: number, hi: number, bins: number): number {
  return hi > lo && Number.isFinite(hi - lo) ? bins / (hi - lo) : 0;
}

/** The bin of v, clamped to [0, bins − 1]. */
function binOf(v: number, lo: number, scale: number, bins: number): number {
  const i = Math.floor((v - lo) * scale);
  return i < 0 ? 0 : i >= bins ? bins - 1 : i;
}
