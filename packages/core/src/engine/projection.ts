/**
 * From a fit spec and a plan to what the workers read and accumulate: the
 * projected design columns (checked against every shard by io) and the
 * accumulator spec.
 */
import { type Plan, selectColumns } from '@linreg/io';
import type { AccumulatorSpec } from '../numerics/types.js';
import type { DesignColumns } from './protocol.js';
import type { ResolvedFitSpec } from './spec.js';

export function accumulatorSpecOf(spec: ResolvedFitSpec, p: number): AccumulatorSpec {
  return {
    kind: spec.solver === 'normal' ? 'normal' : 'qr',
    p,
    intercept: spec.intercept,
    weighted: spec.weights !== undefined,
  };
}

export function designColumnsOf(plan: Plan, spec: ResolvedFitSpec): DesignColumns {
  const selected = selectColumns(plan, {
    target: spec.target,
    features: spec.features,
    exclude: spec.exclude,
    weights: spec.weights,
    temporal: spec.timestamps,
  });
  return { features: selected.features, target: selected.target, weights: selected.weights };
}
