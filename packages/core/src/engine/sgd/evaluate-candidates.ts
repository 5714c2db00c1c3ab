/**
 * The last pass of an SGD fit: exact full-batch objective and gradient of a
 * few candidate parameter vectors (summed over units in unit order), and the
 * choice among them — the smallest gradient norm ‖∇F‖, which for the convex
 * quadratic F is ‖H(θ − θ*)‖, the distance to the minimizer in the metric of
 * the (standardized) Gram, measurable without knowing θ*.
 */
import { FitError } from '@linreg/errors';
import type { Standardization } from '../../numerics/sgd/index.js';
import { objectiveAt } from '../../numerics/sgd/index.js';
import { collectPass, type PassContext } from '../run/pass.js';
import type { DesignRead } from '../tasks/protocol.js';
import { norm2 } from './vectors.js';

export interface EvaluatedCandidate {
  /** Position in the candidate list. */
  readonly index: number;
  readonly theta: Float64Array;
  /** Σ w e² (standardized units). */
  readonly lossSum: number;
  readonly objective: number;
  readonly gradient: Float64Array;
}

export async function evaluateCandidates(
  ctx: PassContext,
  read: DesignRead,
  candidates: readonly Float64Array[],
  std: Standardization,
  ridge: number,
  standardize: boolean,
): Promise<EvaluatedCandidate> {
  const dim = candidates[0].length;
  const { outputs: evals } = await collectPass(ctx, {
    kind: 'sgd-evaluate',
    args: { read, thetas: candidates, standardization: std },
    phase: 'sgd',
  });
  let best: EvaluatedCandidate | undefined;
  candidates.forEach((candidate, c) => {
    let lossSum = 0;
    const gradSum = new Float64Array(dim);
    for (const o of evals) {
      const e = o[c];
      lossSum += e.lossSum;
      for (let i = 0; i < dim; i++) gradSum[i] += e.gradSum[i];
    }
    const at = objectiveAt(candidate, { lossSum, gradSum }, std, ridge, standardize);
    if (best === undefined || norm2(at.gradient) < norm2(best.gradient)) {
      best = { index: c, theta: candidate, lossSum, ...at };
    }
  });
  if (best === undefined) throw new FitError('sgd: no candidate to evaluate');
  return best;
}
