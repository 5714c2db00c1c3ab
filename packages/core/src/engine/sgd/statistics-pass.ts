/**
 * The first pass of an SGD fit: per-column moments for the standardization,
 * the positive-weight counts the inference needs, and — when checking — an
 * exact accumulator (`normal` by default) of the same rows. Moments and
 * states merge in unit order as the fixed tree (run/reduce.ts), so nothing
 * depends on the worker count. The exact factor is solved by minimum norm
 * (ridge when λ > 0), which gives the reference coefficients, the rank and
 * the alias relations the driver reports.
 */
import { FitError } from '@linreg/errors';
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
import { solveResolved } from '../../numerics/solve/index.js';
import type { AccumulatorSpec, TriangularFactor } from '../../numerics/types.js';
import { solveOptionsOf } from '../projection.js';
import { type PassContext, runPass } from '../run/pass.js';
import { UnitOrderReducer } from '../run/reduce.js';
import type { DesignRead } from '../tasks/protocol.js';
import type { SgdSettings } from './sgd-settings.js';

export interface StatisticsResult {
  readonly std: Standardization;
  readonly factor: TriangularFactor | undefined;
  readonly solution: Solution | undefined;
  readonly rows: { readonly read: number; readonly used: number; readonly dropped: number };
  readonly rowsPositiveWeight: number;
  readonly sumLogWeights: number;
  readonly bytes: number;
  /** Rows used per unit, in unit order. */
  readonly unitRows: readonly number[];
}

export async function runStatisticsPass(
  ctx: PassContext,
  read: DesignRead,
  r: SgdSettings,
): Promise<StatisticsResult> {
  const exactSpec: AccumulatorSpec | undefined = r.check
    ? { kind: r.checkKind, p: r.p, intercept: r.intercept, weighted: r.weighted }
    : undefined;
  const momentsReducer = new UnitOrderReducer<MomentsState>(mergeMoments);
  const exactReducer = new UnitOrderReducer<AccumulatorState>(mergeAccumulators);
  const unitRows: number[] = [];
  let rowsPositiveWeight = 0;
  let sumLogWeights = 0;
  const counts = await runPass(
    ctx,
    { kind: 'sgd-statistics', args: { read, exact: exactSpec }, phase: 'sgd' },
    (u, s, c) => {
      unitRows.push(c.rowsUsed);
      rowsPositiveWeight += s.rowsPositiveWeight;
      sumLogWeights += s.sumLogWeights;
      momentsReducer.add(u, deserializeMoments(s.moments));
      if (s.exact !== undefined) exactReducer.add(u, deserializeAccumulator(s.exact));
    },
  );
  const units = ctx.source.units.length;
  const moments = momentsReducer.finish(units);
  if (moments === undefined || counts.rowsUsed === 0) throw new FitError('sgd: no usable rows');
  const std = standardizationFrom(moments, r.intercept);
  let factor: TriangularFactor | undefined;
  let solution: Solution | undefined;
  if (exactSpec !== undefined) {
    const state = exactReducer.finish(units);
    if (state !== undefined) {
      factor = finalizeAccumulator(state);
      solution = solveResolved(factor, solveOptionsOf('min-norm', r.ridge, r.standardize));
    }
  }
  return {
    std,
    factor,
    solution,
    rows: { read: counts.rowsRead, used: counts.rowsUsed, dropped: counts.rowsDropped },
    rowsPositiveWeight,
    sumLogWeights,
    bytes: counts.bytes,
    unitRows,
  };
}
