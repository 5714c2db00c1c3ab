/**
 * Generalized cross-validation for the ridge penalty, from the factor alone:
 * GCV(λ) in closed form from the SVD of the penalized block
 * (ridge-spectrum.ts), evaluated on a grid, then the minimum polished.
 *
 * ## Grid
 *
 * **Default**: from the spectrum of A (σ₁ ≥ … ≥ σ_p, penalty units),
 * log-spaced from 1e-4·σ_low² to 1e4·σ₁², σ_low the smallest positive σ
 * (but at least 1e-16·σ₁, below which no λ is representable against σ₁²),
 * `GRID_POINTS_PER_DECADE` points per decade and at least
 * `DEFAULT_GCV_POINTS`. Every direction goes from unshrunk (λ/σ² ≤ 1e-4)
 * to shrunk away (σ²/λ ≤ 1e-4) inside the grid, whatever the units: a grid
 * tied to σ₁² alone (1e-6·σ₁² up, as before) started above the minimum
 * whenever one column's scale dominates σ₁ (Boston, longley,
 * LifeCycleSavings unstandardized: the lowest grid point was chosen). The
 * best grid point's neighbours then bracket the minimum, which golden-
 * section search on log λ polishes (golden-section.ts) to a relative λ of
 * `POLISH_TOLERANCE`. A minimum at either end of the grid means GCV still
 * falls beyond it (towards least squares at the low end, towards the
 * intercept-only fit at the high end); the solver reports it as a warning.
 *
 * **A caller's grid** is absolute and searched as given: the chosen λ is
 * its best point (the first one on ties), as scikit-learn's `RidgeCV`
 * chooses among its alphas; there is no polishing.
 */

import type { TriangularFactor } from '../types.js';
import { goldenSectionMinimum } from './golden-section.js';
import { gcvAt, type RidgeSpectrum, ridgeSpectrum } from './ridge-spectrum.js';
import type { GcvCurve } from './solution.js';

export interface GcvGrid {
  readonly min: number;
  readonly max: number;
  readonly count: number;
}

/** Least number of points of the default grid. */
export const DEFAULT_GCV_POINTS = 61;
/** Density of the default grid: 8 points per decade of λ. */
const GRID_POINTS_PER_DECADE = 8;
/** The grid reaches 1e-4·σ_low² below and 1e4·σ₁² above: λ/σ² (or σ²/λ) ≤ 1e-4 there. */
const GRID_MARGIN = 1e-4;
/** σ below this fraction of σ₁ is not resolved against σ₁ in double precision. */
const SMALLEST_RELATIVE_SIGMA = 1e-16;
/**
 * Golden-section stops when the bracket of ln λ is this narrow. Near its
 * minimum GCV is flat to second order, so λ itself is resolved only to about
 * √ε ≈ 1e-8 relative; the search then just keeps the best point it saw.
 */
const POLISH_TOLERANCE = 1e-9;
/** A chosen λ within this of an end of the grid (in ln λ) is at that end. */
const EDGE_TOLERANCE = 1e-6;

export interface GcvResult extends GcvCurve {
  /** Index of the best grid point in `lambdas` (0 or the last: the minimum is at the grid's edge). */
  readonly chosenIndex: number;
  /** GCV at `chosen` (≤ every grid score). */
  readonly chosenScore: number;
  readonly rss: Float64Array;
  readonly df: Float64Array;
  /** The spectrum the curve came from (its singular values give the df at any λ). */
  readonly spectrum: RidgeSpectrum;
  /** Whether the grid was the default one (spanning the spectrum) or the caller's. */
  readonly defaultGrid: boolean;
  /** The minimum is at this end of the grid (GCV still falls beyond it), else undefined. */
  readonly edge: 'lower' | 'upper' | undefined;
}

/** Log-spaced grid from min to max inclusive (count ≥ 1). */
export function logGrid(grid: GcvGrid): Float64Array {
  const out = new Float64Array(grid.count);
  if (grid.count === 1) {
    out[0] = grid.min;
    return out;
  }
  const a = Math.log(grid.min);
  const step = (Math.log(grid.max) - a) / (grid.count - 1);
  for (let i = 0; i < grid.count; i++) out[i] = Math.exp(a + step * i);
  // The ends exactly as given (exp∘log may move them by an ulp).
  out[0] = grid.min;
  out[grid.count - 1] = grid.max;
  return out;
}

/** The default grid of a spectrum (see the module comment). */
export function spectrumGrid(s: Float64Array): GcvGrid {
  const s1 = s.length > 0 ? s[0] : 0;
  // No spread in any penalized column: every λ gives the same fit; any grid will do.
  if (!(s1 > 0)) return { min: 1e-6, max: 10, count: DEFAULT_GCV_POINTS };
  let low = s1;
  for (const si of s) if (si > 0) low = si;
  low = Math.max(low, SMALLEST_RELATIVE_SIGMA * s1);
  const min = GRID_MARGIN * low * low;
  const max = (s1 * s1) / GRID_MARGIN;
  const decades = Math.log10(max / min);
  const count = Math.max(DEFAULT_GCV_POINTS, Math.ceil(decades * GRID_POINTS_PER_DECADE) + 1);
  return { min, max, count };
}

export function gcvCurve(
  factor: TriangularFactor,
  standardize: boolean,
  grid?: GcvGrid,
): GcvResult {
  const spectrum = ridgeSpectrum(factor, standardize);
  const lambdas = logGrid(grid ?? spectrumGrid(spectrum.s));
  const scores = new Float64Array(lambdas.length);
  const rss = new Float64Array(lambdas.length);
  const df = new Float64Array(lambdas.length);
  let chosenIndex = 0;
  for (let g = 0; g < lambdas.length; g++) {
    const point = gcvAt(spectrum, lambdas[g]);
    scores[g] = point.score;
    rss[g] = point.rss;
    df[g] = point.df;
    if (scores[g] < scores[chosenIndex]) chosenIndex = g;
  }
  let chosen = lambdas[chosenIndex];
  let chosenScore = scores[chosenIndex];
  const last = lambdas.length - 1;
  if (grid === undefined && last > 0 && Number.isFinite(chosenScore)) {
    // The neighbours bracket the minimum of a unimodal stretch; at an end, the end itself is one side.
    const lo = Math.log(lambdas[Math.max(chosenIndex - 1, 0)]);
    const hi = Math.log(lambdas[Math.min(chosenIndex + 1, last)]);
    const best = goldenSectionMinimum(
      (t) => gcvAt(spectrum, Math.exp(t)).score,
      lo,
      hi,
      POLISH_TOLERANCE,
    );
    // Kept only if it beats the grid (a bracket need not be unimodal).
    if (best.value < chosenScore) {
      chosen = Math.exp(best.x);
      chosenScore = best.value;
    }
  }
  // Polishing from an end point may find the minimum inside the first (last) interval; then it is not at the edge.
  const nearEnd = (end: number): boolean => Math.abs(Math.log(chosen / end)) <= EDGE_TOLERANCE;
  const edge =
    last === 0
      ? undefined
      : nearEnd(lambdas[0])
        ? 'lower'
        : nearEnd(lambdas[last])
          ? 'upper'
          : undefined;
  return {
    lambdas,
    scores,
    chosen,
    chosenIndex,
    chosenScore,
    rss,
    df,
    spectrum,
    defaultGrid: grid === undefined,
    edge,
  };
}
