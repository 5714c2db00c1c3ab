/**
 * The report's first pass: the ranges its density plots bin over — the
 * extremes of ŷ, e, √|s|, s and h (report-rows.ts) — as one small
 * Float64Array merged by min / max, so any grouping of units gives the same
 * ranges exactly.
 */
import type { ReportRows } from './report-rows.js';

/** [min ŷ, max ŷ, min e, max e, max √|s|, min s, max s, max h]. */
export const RANGE_FIELDS = 8;
export const R_FIT_LO = 0;
export const R_FIT_HI = 1;
export const R_RES_LO = 2;
export const R_RES_HI = 3;
export const R_ROOT_HI = 4;
export const R_STD_LO = 5;
export const R_STD_HI = 6;
export const R_HAT_HI = 7;

export function createRanges(): Float64Array {
  const r = new Float64Array(RANGE_FIELDS);
  for (const i of [R_FIT_LO, R_RES_LO, R_STD_LO]) r[i] = Number.POSITIVE_INFINITY;
  for (const i of [R_FIT_HI, R_RES_HI, R_ROOT_HI, R_STD_HI, R_HAT_HI]) {
    r[i] = Number.NEGATIVE_INFINITY;
  }
  return r;
}

/** Widens `ranges` by the first n rows of `rows` (rows of zero weight, e NaN, are skipped). */
export function updateRanges(ranges: Float64Array, rows: ReportRows, n: number): void {
  const { fitted, residual, standardized, hat } = rows;
  let fitLo = ranges[R_FIT_LO] as number;
  let fitHi = ranges[R_FIT_HI] as number;
  let resLo = ranges[R_RES_LO] as number;
  let resHi = ranges[R_RES_HI] as number;
  let rootHi = ranges[R_ROOT_HI] as number;
  let stdLo = ranges[R_STD_LO] as number;
  let stdHi = ranges[R_STD_HI] as number;
  let hatHi = ranges[R_HAT_HI] as number;
  for (let i = 0; i < n; i++) {
    const e = residual[i] as number;
    if (Number.isNaN(e)) continue;
    const f = fitted[i] as number;
    const s = standardized[i] as number;
    const h = hat[i] as number;
    if (f < fitLo) fitLo = f;
    if (f > fitHi) fitHi = f;
    if (e < resLo) resLo = e;
    if (e > resHi) resHi = e;
    if (s < stdLo) stdLo = s;
    if (s > stdHi) stdHi = s;
    const root = Math.sqrt(Math.abs(s));
    if (root > rootHi) rootHi = root;
    if (h > hatHi) hatHi = h;
  }
  ranges[R_FIT_LO] = fitLo;
  ranges[R_FIT_HI] = fitHi;
  ranges[R_RES_LO] = resLo;
  ranges[R_RES_HI] = resHi;
  ranges[R_ROOT_HI] = rootHi;
  ranges[R_STD_LO] = stdLo;
  ranges[R_STD_HI] = stdHi;
  ranges[R_HAT_HI] = hatHi;
}

/** a ← a ∪ b (returned). */
export function mergeRanges(a: Float64Array, b: Float64Array): Float64Array {
  for (const i of [R_FIT_LO, R_RES_LO, R_STD_LO]) a[i] = Math.min(a[i] as number, b[i] as number);
  for (const i of [R_FIT_HI, R_RES_HI, R_ROOT_HI, R_STD_HI, R_HAT_HI]) {
    a[i] = Math.max(a[i] as number, b[i] as number);
  }
  return a;
}
