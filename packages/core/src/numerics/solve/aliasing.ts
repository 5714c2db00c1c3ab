/**
 * Which design columns are aliased, and the linear relation that aliases each.
 *
 * ## Method
 *
 * Given rank r < m from rank.ts, the last d = m − r right singular vectors of
 * the scaled design A = R_X D⁻¹ span its numerical null space. Following R's
 * `lm` (LINPACK `dqrdc2` moves a column to the end when it is a combination of
 * the columns before it), we call a column aliased when it is a combination of
 * EARLIER columns, choosing the aliased set as late as possible:
 *
 * 1. Take the d × m null basis Z and reduce it to row-echelon form from the
 *    right (Gauss–Jordan with partial pivoting, scanning columns m−1 … 0). At
 *    column c, the remaining row with the largest |z_c|/‖z‖ becomes the pivot
 *    row if that ratio exceeds θ = 1e-6 (entries below θ are rounding noise of
 *    an orthonormal basis); column c is then aliased and eliminated from every
 *    other row. Exactly d columns are chosen since each row has an entry of
 *    size ≥ 1/√m > θ.
 * 2. For each aliased column c, the relation coefficients γ are recomputed
 *    accurately as the least-squares regression of column c on the kept columns
 *    before it — from the factor itself (Householder QR of those columns of R,
 *    backward stable), not from the singular vectors, so they are accurate to
 *    about κ(kept)·ε.
 * 3. For display, each γ within 1e-11 (relative) of a value with 8 significant
 *    digits is snapped to it (so x2 = x1 + 1 reads 1 and 1, not 0.9999999999999998),
 *    and terms whose contribution |γ_s|·‖x_s‖ is below 1e-11·‖x_c‖ are omitted.
 *    The unrounded γ are kept for the minimum-norm projection.
 */
import { householderR, solveUpper } from '../linalg/index.js';
import type { TriangularFactor } from '../types.js';
import type { RankInfo } from './rank.js';
import type { AliasRelation } from './solution.js';

const PIVOT_THRESHOLD = 1e-6;
const CLEAN_TOLERANCE = 1e-11;

export interface ExactRelation {
  readonly column: number;
  /** Kept columns earlier than `column` that it is regressed on. */
  readonly support: readonly number[];
  /** Unrounded regression coefficients on `support`. */
  readonly gamma: Float64Array;
}

export interface Aliasing {
  /** Aliased columns, ascending. */
  readonly aliased: readonly number[];
  /** Kept (identified) columns, ascending. */
  readonly kept: readonly number[];
  /** Relations for display (snapped coefficients, negligible terms omitted). */
  readonly relations: readonly AliasRelation[];
  /** Relations with unrounded coefficients over all earlier kept columns. */
  readonly exact: readonly ExactRelation[];
}

/** Chooses the aliased columns from the null space of the scaled design. */
export function chooseAliasedColumns(info: RankInfo): number[] {
  const { m, rank, svd } = info;
  const d = m - rank;
  if (d === 0 || svd === undefined) return [];
  // Z: d × m, row i = v_{rank+i}ᵀ.
  const z = new Float64Array(d * m);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < m; j++) z[i * m + j] = svd.v[j * m + rank + i];
  }
  const done = new Uint8Array(d);
  const aliased: number[] = [];
  for (let c = m - 1; c >= 0 && aliased.length < d; c--) {
    let best = -1;
    let bestRatio = PIVOT_THRESHOLD;
    for (let i = 0; i < d; i++) {
      if (done[i]) continue;
      let ss = 0;
      for (let j = 0; j <= c; j++) ss += z[i * m + j] * z[i * m + j];
      const ratio = ss > 0 ? Math.abs(z[i * m + c]) / Math.sqrt(ss) : 0;
      if (ratio > bestRatio) {
        bestRatio = ratio;
        best = i;
      }
    }
    if (best < 0) continue;
    done[best] = 1;
    aliased.push(c);
    const pivot = z[best * m + c];
    for (let j = 0; j < m; j++) z[best * m + j] /= pivot;
    for (let i = 0; i < d; i++) {
      if (i === best) continue;
      const f = z[i * m + c];
      if (f === 0) continue;
      for (let j = 0; j < m; j++) z[i * m + j] -= f * z[best * m + j];
    }
  }
  return aliased.sort((a, b) => a - b);
}

/**
 * Least-squares coefficients of design column c on the design columns
 * `support` (all < c), from the factor: QR of [R_S r_c] over rows 0..c.
 */
export function regressColumn(
  factor: TriangularFactor,
  c: number,
  support: readonly number[],
): Float64Array {
  const k = factor.k;
  const q = support.length;
  const rows = c + 1;
  const cols = q + 1;
  const b = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    for (let s = 0; s < q; s++) b[i * cols + s] = factor.r[i * k + support[s]];
    b[i * cols + q] = factor.r[i * k + c];
  }
  const t = householderR(b, rows, cols);
  const gamma = new Float64Array(q);
  for (let s = 0; s < q; s++) gamma[s] = t[s * cols + q];
  solveUpper(t, cols, q, gamma);
  return gamma;
}

function cleanCoefficient(g: number): number {
  const simple = Number(g.toPrecision(8));
  return Math.abs(g - simple) <= CLEAN_TOLERANCE * Math.abs(g) ? simple : g;
}

/** Relations of the given aliased columns (any set of columns), each on the kept columns before it. */
export function describeAliasing(
  factor: TriangularFactor,
  scales: Float64Array,
  aliased: readonly number[],
): Aliasing {
  const m = factor.k - 1;
  const isAliased = new Uint8Array(m);
  for (const c of aliased) isAliased[c] = 1;
  const kept: number[] = [];
  for (let j = 0; j < m; j++) if (!isAliased[j]) kept.push(j);
  const exact: ExactRelation[] = [];
  const relations: AliasRelation[] = [];
  const norms = scales;
  for (const c of aliased) {
    const support = kept.filter((j) => j < c);
    const gamma = regressColumn(factor, c, support);
    exact.push({ column: c, support, gamma });
    const terms: { column: number; coef: number }[] = [];
    for (let s = 0; s < support.length; s++) {
      const g = gamma[s];
      if (Math.abs(g) * norms[support[s]] <= CLEAN_TOLERANCE * norms[c]) continue;
      terms.push({ column: support[s], coef: cleanCoefficient(g) });
    }
    relations.push({ column: c, terms });
  }
  return { aliased: [...aliased], kept, relations, exact };
}

export function findAliasing(factor: TriangularFactor, info: RankInfo): Aliasing {
  return describeAliasing(factor, info.scales, chooseAliasedColumns(info));
}
