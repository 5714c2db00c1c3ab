/**
 * Heteroskedasticity-robust covariance of an OLS/WLS fit from the meat of a
 * second pass (numerics/meat): R's `sandwich::vcovHC(type = "HC0"…"HC3")`,
 * statsmodels' `cov_type='HC0'…'HC3'`.
 *
 * ## Method
 *
 * On the identified columns K (q = rank of them), with B = (X_KᵀWX_K)⁻¹ and the
 * pass's M = Σ ωᵢ xᵢxᵢᵀ:
 *
 *     V_K = B M B            HC0, HC2, HC3 (ω carries the (1 − h) factors)
 *     V_K = n/(n − q) · B M B   HC1
 *
 * n = rows of positive weight. (sandwich counts zero-weight rows of a
 * weighted `lm` in n, scaling its answer by (n₊/n)²; a zero-weight row is no
 * observation here, as in lm's residual df: tests/fixtures/r/robust-se.R.)
 *
 * B is the solution's unscaled covariance on K (refined when refinement ran)
 * for a full-rank fit or under `drop`. Under `min-norm` with aliased columns
 * the solution's C is the pseudo-inverse, so B and β_K come from the factor
 * restricted to K, and the reported covariance is that of the minimum-norm
 * estimator P·β_K: V = P E V_K Eᵀ Pᵀ (E embeds K in the m columns), as the
 * classical C is P E B Eᵀ Pᵀ. Under `drop`, rows and columns of aliased
 * columns are NaN (R's NA).
 *
 * The Wald test that every identified non-intercept coefficient is zero
 * (every identified coefficient without an intercept), S those columns:
 * F = β_Sᵀ V_S⁻¹ β_S / |S| on (|S|, ν) df, as `lmtest::waldtest(fit,
 * vcov = vcovHC)` and statsmodels' robust `f_test` report it. V_S is factored
 * by Cholesky; when it is not positive definite (e.g. leverage-one rows made
 * it infinite) F is NaN.
 */

import { NumericInputError } from '@linreg/errors';
import { multiplySquare } from '../linalg/index.js';
import {
  type HcType,
  identifiedColumns,
  identifiedFactor,
  type MeatState,
  meatHighLeverageRows,
  meatMatrix,
  meatRows,
} from '../meat/index.js';
import {
  congruence,
  describeAliasing,
  designColumnNorms,
  embedCovariance,
  minNormProjection,
  type Solution,
} from '../solve/index.js';
import type { TriangularFactor } from '../types.js';

export type { HcType } from '../meat/index.js';

export interface RobustCovariance {
  readonly type: HcType;
  /** m × m row-major Cov(β̂) itself (no σ̂² factor), design order; NaN for columns dropped under `drop`. */
  readonly cov: Float64Array;
  /** Wald F of the identified non-intercept coefficients; NaN when there are none or V_S is singular. */
  readonly waldF: number;
  /** Its numerator df |S|. */
  readonly waldDf1: number;
  /** Rows whose leverage was within √ε of 1: HC2/HC3 are numerically unstable there. */
  readonly highLeverageRows: number;
  /** Cluster-robust fits (`cluster`, cluster.ts): the columns and clusters; `type` is then vcovCL's. */
  readonly cluster?: ClusterInfo | undefined;
}

/** What a cluster-robust covariance was clustered by. */
export interface ClusterInfo {
  /** One or two cluster columns. */
  readonly columns: readonly string[];
  /** Clusters per table: [G] one-way, [G_firm, G_year, G_firm∩year] two-way. */
  readonly clusters: readonly number[];
}

/** bᵀ A⁻¹ b by Cholesky of the symmetric A (n × n); NaN when A is not positive definite. */
function quadraticInverse(a: Float64Array, n: number, b: Float64Array): number {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    if (!(d > 0) || !Number.isFinite(d)) return Number.NaN;
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / ljj;
    }
  }
  // ‖L⁻¹b‖².
  let quad = 0;
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * n + k] * v[k];
    v[i] = s / l[i * n + i];
    quad += v[i] * v[i];
  }
  return quad;
}

/**
 * The HC covariance of `solution` (solved from `factor`) from the merged meat
 * of a pass taken at its coefficients.
 */
export function robustCovariance(
  factor: TriangularFactor,
  solution: Solution,
  meat: MeatState,
  type: HcType,
): RobustCovariance {
  if (solution.lambda > 0) {
    throw new NumericInputError('robust standard errors need an OLS/WLS fit (ridge 0)');
  }
  const kept = identifiedColumns(solution);
  const q = kept.length;
  if (meat.q !== q) {
    throw new NumericInputError(
      `meat state has q = ${meat.q}, the solution identifies ${q} columns`,
    );
  }
  const n = factor.rowsPositiveWeight;
  if (meatRows(meat) !== n) {
    throw new NumericInputError(
      `the robust-SE pass saw ${meatRows(meat)} rows of positive weight, the fit ${n}: did the data change between passes?`,
    );
  }
  const scale = type === 'hc1' ? (n > q ? n / (n - q) : Number.NaN) : 1;
  const sandwich = sandwichCovariance(factor, solution, meatMatrix(meat), scale);
  return { type, ...sandwich, highLeverageRows: meatHighLeverageRows(meat) };
}

/**
 * scale · B M B on the identified columns K (B and β_K as described above),
 * embedded in the m columns, and the Wald F of the identified non-intercept
 * coefficients: the common part of the HC and cluster-robust covariances.
 */
export function sandwichCovariance(
  factor: TriangularFactor,
  solution: Solution,
  meatK: Float64Array,
  scale: number,
): { cov: Float64Array; waldF: number; waldDf1: number } {
  const m = solution.m;
  const kept = identifiedColumns(solution);
  const q = kept.length;
  const minNorm = solution.aliased.length > 0 && solution.aliasedPolicy === 'min-norm';
  let bread: Float64Array;
  let betaK: Float64Array;
  if (minNorm) {
    const f = identifiedFactor(factor, kept);
    bread = f.bread;
    betaK = f.beta;
  } else {
    bread = new Float64Array(q * q);
    betaK = new Float64Array(q);
    for (let a = 0; a < q; a++) {
      betaK[a] = solution.coefficients[kept[a]];
      for (let b = 0; b < q; b++) bread[a * q + b] = solution.covUnscaled[kept[a] * m + kept[b]];
    }
  }
  const bm = multiplySquare(bread, meatK, q);
  const vk = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) {
      let s = 0;
      for (let l = 0; l < q; l++) s += bm[i * q + l] * bread[l * q + j];
      vk[i * q + j] = vk[j * q + i] = scale * s;
    }
  }

  let cov: Float64Array;
  if (minNorm) {
    const aliasing = describeAliasing(factor, designColumnNorms(factor), solution.aliased);
    cov = congruence(minNormProjection(m, aliasing), embedCovariance(vk, kept, m, 0), m);
  } else {
    cov = embedCovariance(vk, kept, m, Number.NaN);
  }

  // Wald F over the identified non-intercept columns.
  const slopes: number[] = [];
  kept.forEach((c, a) => {
    if (!(factor.spec.intercept && c === 0)) slopes.push(a);
  });
  const s = slopes.length;
  let waldF = Number.NaN;
  if (s > 0) {
    const vs = new Float64Array(s * s);
    const bs = new Float64Array(s);
    slopes.forEach((a, i) => {
      bs[i] = betaK[a];
      slopes.forEach((b, j) => {
        vs[i * s + j] = vk[a * q + b];
      });
    });
    waldF = quadraticInverse(vs, s, bs) / s;
  }
  return { cov, waldF, waldDf1: s };
}
