/**
 * Cluster-robust covariance of an OLS/WLS fit from the per-cluster scores of
 * a second pass (numerics/meat/cluster.ts): R's `sandwich::vcovCL(fit,
 * cluster = ~ firm, type = "HC1")` — its default for `lm`, which is Stata's
 * CR1 — and `type = "HC0"`; two-way `cluster = ~ firm + year` with
 * `multi0 = FALSE` (Cameron, Gelbach & Miller 2011).
 *
 * ## Method (sandwich 3.0's meatCL, on the identified columns K, q of them)
 *
 *     M_d = Σ_g s_g s_gᵀ             per table d (firm; or firm, year, firm∩year)
 *     M   = Σ_d sign_d · G_d/(G_d − 1) · M_d      sign +1, +1, −1 (cadjust = TRUE)
 *     V_K = c · B M B                c = (n − 1)/(n − q) for HC1 (CR1), 1 for HC0
 *
 * with B = (X_KᵀWX_K)⁻¹ and n the rows of positive weight (as robust.ts: a
 * zero-weight row is no observation and defines no cluster). The embedding
 * under aliasing and the Wald F are robust.ts's (sandwichCovariance). The
 * two-way V need not be positive semi-definite (sandwich's `fix = FALSE`,
 * its default): a negative variance gives a NaN standard error, as R.
 */

import { NumericInputError } from '@linreg/errors';
import {
  type ClusterState,
  type ClusterTable,
  clusterCount,
  clusterMeat,
  identifiedColumns,
} from '../meat/index.js';
import type { Solution } from '../solve/index.js';
import type { TriangularFactor } from '../types.js';
import { type RobustCovariance, sandwichCovariance } from './robust.js';

export function clusterCovariance(
  factor: TriangularFactor,
  solution: Solution,
  state: ClusterState,
  columns: readonly string[],
  type: 'hc0' | 'hc1',
): RobustCovariance {
  if (solution.lambda > 0) {
    throw new NumericInputError('cluster-robust standard errors need an OLS/WLS fit (ridge 0)');
  }
  const q = identifiedColumns(solution).length;
  if (state.q !== q) {
    throw new NumericInputError(
      `cluster state has q = ${state.q}, the solution identifies ${q} columns`,
    );
  }
  const n = factor.rowsPositiveWeight;
  if (state.rows !== n) {
    throw new NumericInputError(
      `the cluster-SE pass saw ${state.rows} rows of positive weight, the fit ${n}: did the data change between passes?`,
    );
  }
  const meat = new Float64Array(q * q);
  state.tables.forEach((t: ClusterTable, d) => {
    const g = clusterCount(t);
    const sign = d === 2 ? -1 : 1;
    const adj = g / (g - 1);
    const md = clusterMeat(t, q);
    for (let i = 0; i < q * q; i++) meat[i] += sign * adj * (md[i] as number);
  });
  const scale = type === 'hc1' ? (n > q ? (n - 1) / (n - q) : Number.NaN) : 1;
  const sandwich = sandwichCovariance(factor, solution, meat, scale);
  return {
    type,
    ...sandwich,
    highLeverageRows: 0,
    cluster: { columns: [...columns], clusters: state.tables.map(clusterCount) },
  };
}
