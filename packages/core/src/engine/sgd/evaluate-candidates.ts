/**
 * The last pass of an SGD fit: exact full-batch objective and gradient of a
 * few candidate parameter vectors (summed over units in unit order), and the
 * choice among them — the smallest gradient norm ‖∇F‖, which for the convex
 * quadratic F is ‖H(θ − θ*)‖, the distance to the minimizer in the metric of
 * the (standardized) Gram, measurable without knowing θ*.
 */
import { FitError } from '../../errors.js';
import type { Standardization } from '../../numerics/sgd/index.js';
import { type L2Scale, objectiveAt } from '../../numerics/sgd/index.js';
import type { SgdRunner } from './protocol.js';
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
  runner: SgdRunner,
  candidates: readonly Float64Array[],
  std: Standardization,
  l2: number,
  l2Scale: L2Scale,
): Promise<EvaluatedCandidate> {
  const dim = candidates[0].length;
  const evals = await runner.runPass({
    kind: 'evaluate',
    thetas: candidates,
    standardization: std,
  });
  let best: EvaluatedCandidate | undefined;
  candidates.forEach((candidate, c) => {
    let lossSum = 0;
    const gradSum = new Float64Array(dim);
    for (const o of evals) {
      const e = o.evaluations[c];
      lossSum += e.lossSum;
      for (let i = 0; i < dim; i++) gradSum[i] += e.gradSum[i];
    }
    const at = objectiveAt(candidate, { lossSum, gradSum }, std, l2, l2Scale);
    if (best === undefined || norm2(at.gradient) < norm2(best.gradient)) {
      best = { index: c, theta: candidate, lossSum, ...at };
    }
  });
  if (best === undefined) throw new FitError('sgd: no candidate to evaluate');
  return best;
}
