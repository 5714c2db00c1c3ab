/**
 * The first pass of an SGD fit: per-column moments for the standardization
 * and, when checking, an exact accumulator (`normal` by default) of the same rows — both
 * merged in unit order as a pairwise tree (reduce.ts), so the result does not
 * depend on the worker count. The exact factor is solved by minimum norm
 * (ridge when λ > 0), which gives the reference coefficients, the rank and
 * the alias relations the driver reports.
 */
import { FitError } from '../../errors.js';
import {
  type AccumulatorState,
  deserializeAccumulator,
  deserializeMoments,
  finalizeAccumulator,
  type MomentsState,
  mergeAccumulators,
  mergeMoments,
} from '../../numerics/accumulate/index.js';
import { type Standardization, standardizationFrom } from '../../numerics/sgd/index.js';
import type { Solution } from '../../numerics/solve/index.js';
import { solve } from '../../numerics/solve/index.js';
import type { AccumulatorSpec, TriangularFactor } from '../../numerics/types.js';
import { UnitOrderReducer } from '../reduce.js';
import type { SgdRunner } from './protocol.js';
import type { ResolvedSgdSpec } from './sgd-spec.js';

export interface StatisticsResult {
  readonly std: Standardization;
  readonly factor: TriangularFactor | undefined;
  readonly solution: Solution | undefined;
  readonly rows: { readonly read: number; readonly used: number; readonly dropped: number };
  /** Rows used per unit, in unit order. */
  readonly unitRows: readonly number[];
}

export async function runStatisticsPass(
  runner: SgdRunner,
  r: ResolvedSgdSpec,
): Promise<StatisticsResult> {
  const exactSpec: AccumulatorSpec | undefined = r.check
    ? { kind: r.checkKind, p: r.p, intercept: r.intercept, weighted: r.weighted }
    : undefined;
  const stats = await runner.runPass({
    kind: 'statistics',
    p: r.p,
    weighted: r.weighted,
    exact: exactSpec,
  });
  const momentsReducer = new UnitOrderReducer<MomentsState>(mergeMoments);
  const exactReducer = new UnitOrderReducer<AccumulatorState>(mergeAccumulators);
  let rowsRead = 0;
  let rowsUsed = 0;
  let rowsDropped = 0;
  stats.forEach((s, u) => {
    rowsRead += s.rowsRead;
    rowsUsed += s.rowsUsed;
    rowsDropped += s.rowsDropped;
    momentsReducer.add(u, deserializeMoments(s.moments));
    if (s.exact !== undefined) exactReducer.add(u, deserializeAccumulator(s.exact));
  });
  const moments = momentsReducer.finish(runner.units);
  if (moments === undefined || rowsUsed === 0) throw new FitError('sgd: no usable rows');
  const std = standardizationFrom(moments, r.intercept);
  let factor: TriangularFactor | undefined;
  let solution: Solution | undefined;
  if (exactSpec !== undefined) {
    const state = exactReducer.finish(runner.units);
    if (state !== undefined) {
      factor = finalizeAccumulator(state);
      solution = solve(factor, {
        lambda: r.l2,
        standardize: r.l2Scale === 'sd',
        aliased: 'min-norm',
      });
    }
  }
  return {
    std,
    factor,
    solution,
    rows: { read: rowsRead, used: rowsUsed, dropped: rowsDropped },
    unitRows: stats.map((s) => s.rowsUsed),
  };
}
