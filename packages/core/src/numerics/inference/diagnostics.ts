/**
 * Residual diagnostics from a merged diagnostics state (numerics/diagnostics):
 * the tests statsmodels prints under its OLS/WLS summary and lmtest's
 * studentized Breusch–Pagan, with their p-values.
 *
 * With n residuals ẽ (whitened, rows of positive weight) and mₖ = Mₖ/n their
 * central moments (biased, as scipy's `skew` and `kurtosis(fisher=False)`):
 *
 * - skewness √b₁ = m₃/m₂^{3/2}, kurtosis b₂ = m₄/m₂² (Pearson's, 3 for a normal);
 * - Jarque–Bera JB = n/6·(b₁ + (b₂ − 3)²/4), p = P(χ²₂ > JB) = e^{−JB/2}
 *   (statsmodels' `jarque_bera`, tseries' `jarque.bera.test`);
 * - omnibus K² = Z(√b₁)² + Z(b₂)², D'Agostino's skewness test (1970) and
 *   Anscombe & Glynn's kurtosis test (1983) as scipy's `skewtest` and
 *   `kurtosistest` write them (statsmodels' `omni_normtest` is scipy's
 *   `normaltest`), p = e^{−K²/2}; NaN below n = 8, where skewtest is not
 *   defined. scipy sets Z(√b₁)'s argument to 1 when √b₁ is exactly 0; here
 *   Z(0) = 0;
 * - quartiles: R's `quantile(ẽ, type = 7)` (the default), h = (n − 1)·p,
 *   x₍⌊h⌋₎ + (h − ⌊h⌋)(x₍⌊h⌋+1₎ − x₍⌊h⌋₎), with the order statistics read
 *   from the pass's sketch: within max(α·|x|, f) of R's value, α = 1e-3 and
 *   f = 1e-8·√(RSS/n) (diagnostics-state.ts), and clamped to [min, max];
 * - Durbin–Watson d = Σ(ẽₜ − ẽₜ₋₁)² / Σẽₜ² in file order (no p-value: lmtest's
 *   needs the n × n design-dependent distribution);
 * - Breusch–Pagan (Koenker's studentized form, `lmtest::bptest` default):
 *   n·Σwv̂²/Σv² on q − 1 df (see diagnostics-state.ts for the sums), p from χ².
 */
import {
  type DiagnosticsState,
  type DiagnosticsSums,
  diagnosticsSums,
  sketchOrderStatistic,
  type TopRow,
} from '../diagnostics/index.js';
import { chiSquareUpperTail } from './distributions.js';

export interface ResidualDiagnostics {
  /** Residuals summarized: rows with positive weight. */
  readonly n: number;
  readonly min: number;
  /** First quartile, median and third quartile of ẽ from the sketch (R's `quantile` type 7, see `sketchQuantile`). */
  readonly q1: number;
  readonly median: number;
  readonly q3: number;
  readonly max: number;
  readonly skewness: number;
  readonly kurtosis: number;
  readonly jarqueBera: number;
  readonly jarqueBeraP: number;
  readonly omnibus: number;
  readonly omnibusP: number;
  readonly durbinWatson: number;
  readonly breuschPagan: number;
  readonly breuschPaganDf: number;
  readonly breuschPaganP: number;
  /**
   * The rows of largest Cook's distance and of largest leverage (R's
   * `cooks.distance`, `hatvalues`), largest first (numerics/diagnostics/top-rows.ts);
   * absent with `--top-k 0`, a ridge fit, or a model written before they were.
   */
  readonly topCook?: readonly TopRow[] | undefined;
  readonly topLeverage?: readonly TopRow[] | undefined;
}

/** scipy.stats.skewtest's Z of the sample skewness √b₁ (n ≥ 8). */
export function skewnessZ(skew: number, n: number): number {
  const y = skew * Math.sqrt(((n + 1) * (n + 3)) / (6 * (n - 2)));
  const beta2 =
    (3 * (n * n + 27 * n - 70) * (n + 1) * (n + 3)) / ((n - 2) * (n + 5) * (n + 7) * (n + 9));
  const w2 = -1 + Math.sqrt(2 * (beta2 - 1));
  const delta = 1 / Math.sqrt(0.5 * Math.log(w2));
  const alpha = Math.sqrt(2 / (w2 - 1));
  // scipy: delta·log(y/α + √((y/α)² + 1)), which is delta·asinh(y/α).
  return delta * Math.asinh(y / alpha);
}

/** scipy.stats.kurtosistest's Z of Pearson's kurtosis b₂ (n ≥ 5). */
export function kurtosisZ(b2: number, n: number): number {
  const e = (3 * (n - 1)) / (n + 1);
  const varb2 = (24 * n * (n - 2) * (n - 3)) / ((n + 1) * (n + 1) * (n + 3) * (n + 5));
  const x = (b2 - e) / Math.sqrt(varb2);
  const sqrtbeta1 =
    ((6 * (n * n - 5 * n + 2)) / ((n + 7) * (n + 9))) *
    Math.sqrt((6 * (n + 3) * (n + 5)) / (n * (n - 2) * (n - 3)));
  const a = 6 + (8 / sqrtbeta1) * (2 / sqrtbeta1 + Math.sqrt(1 + 4 / (sqrtbeta1 * sqrtbeta1)));
  const term1 = 1 - 2 / (9 * a);
  const denom = 1 + x * Math.sqrt(2 / (a - 4));
  const term2 =
    denom === 0 ? Number.NaN : Math.sign(denom) * Math.cbrt((1 - 2 / a) / Math.abs(denom));
  return (term1 - term2) / Math.sqrt(2 / (9 * a));
}

/** The p-quantile (type 7) of the sketched residuals, clamped to the exact [min, max]. */
export function sketchQuantile(s: DiagnosticsSums, p: number): number {
  if (!(s.n > 0)) return Number.NaN;
  const h = (s.n - 1) * p;
  const lo = Math.floor(h);
  const a = sketchOrderStatistic(s, lo);
  const x = lo + 1 < s.n ? a + (h - lo) * (sketchOrderStatistic(s, lo + 1) - a) : a;
  return Math.min(s.max, Math.max(s.min, x));
}

/**
 * The diagnostics of a merged state. `rk` is R_K (q × q, row-major, upper
 * triangular) with R_KᵀR_K = X_KᵀWX_K over the state's q identified columns.
 */
export function residualDiagnostics(
  state: DiagnosticsState,
  rk: Float64Array,
): ResidualDiagnostics {
  const s = diagnosticsSums(state);
  const n = s.n;
  const m2 = s.m2 / n;
  const skewness = s.m3 / n / m2 ** 1.5;
  const kurtosis = s.m4 / n / (m2 * m2);
  const excess = kurtosis - 3;
  const jarqueBera = (n / 6) * (skewness * skewness + (excess * excess) / 4);
  const omnibus = n >= 8 ? skewnessZ(skewness, n) ** 2 + kurtosisZ(kurtosis, n) ** 2 : Number.NaN;
  const durbinWatson = s.sumSquaredDifferences / (s.m2 + n * s.mean * s.mean);

  // Breusch–Pagan: g = ZᵀWv, solve R_Kᵀ y = g, Σwv̂² = ‖y‖².
  const q = s.q;
  const delta = (s.s + s.shift * (s.sumWeights - n)) / n;
  const y = new Float64Array(q);
  for (let a = 0; a < q; a++) y[a] = (s.g[a] as number) - delta * (s.z[a] as number);
  let explained = 0;
  for (let a = 0; a < q; a++) {
    let v = y[a] as number;
    for (let i = 0; i < a; i++) v -= (rk[i * q + a] as number) * (y[i] as number);
    v /= rk[a * q + a] as number;
    y[a] = v;
    explained += v * v;
  }
  const total = s.t2 - 2 * delta * s.t1 + n * delta * delta;
  const df = q - 1;
  const breuschPagan = df >= 1 && n > 0 ? (n * explained) / total : Number.NaN;
  return {
    n,
    min: n > 0 ? s.min : Number.NaN,
    q1: sketchQuantile(s, 0.25),
    median: sketchQuantile(s, 0.5),
    q3: sketchQuantile(s, 0.75),
    max: n > 0 ? s.max : Number.NaN,
    skewness,
    kurtosis,
    jarqueBera,
    jarqueBeraP: Number.isNaN(jarqueBera) ? Number.NaN : Math.exp(-jarqueBera / 2),
    omnibus,
    omnibusP: Number.isNaN(omnibus) ? Number.NaN : Math.exp(-omnibus / 2),
    durbinWatson,
    breuschPagan,
    breuschPaganDf: df >= 1 ? df : Number.NaN,
    breuschPaganP: chiSquareUpperTail(breuschPagan, df),
  };
}
