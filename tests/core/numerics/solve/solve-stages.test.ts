/**
 * The solve in two halves (solve.ts solveCoefficients, completeSolve): the
 * first has what the refinement decision and a pass at β read — on a wide
 * design the covariance's diagonal before the covariance — and decides as
 * the whole Solution does; a refinement run whose first pass was started
 * from the first half (refine.ts continueRefinement, as engine/exact/
 * finish.ts does) gives runRefinement's answer bit for bit.
 */
import { describe, expect, it } from 'vitest';
import {
  continueRefinement,
  createRefineState,
  needsRefinement,
  normWiseNeedsRefinement,
  type RefinePassOptions,
  refinementPlan,
  runRefinement,
  updateRefineState,
} from '../../../../packages/core/src/numerics/refine/index.js';
import {
  completeSolve,
  componentRelativeErrors,
  identifiedConditionNumber,
  resolveSolveOptions,
  type Solution,
  solve,
  solveCoefficients,
} from '../../../../packages/core/src/numerics/solve/index.js';
import { CERTIFY_MIN_COLUMNS } from '../../../../packages/core/src/numerics/solve/rank.js';
import type { TriangularFactor } from '../../../../packages/core/src/numerics/types.js';
import { batchOf, type Data, factorOf } from '../../support/factor-of.js';
import { differences } from '../../support/kernel-paths.js';
import { filipLike } from '../../support/reference-problems.js';
import { wideData } from '../../support/wide-data.js';

function diagonalOf(s: Solution): Float64Array {
  return Float64Array.from({ length: s.m }, (_, j) => s.covUnscaled[j * s.m + j] as number);
}

function inMemoryPass(d: Data, f: TriangularFactor) {
  return (beta: Float64Array, options: RefinePassOptions) => {
    const state = createRefineState(f.spec, beta, options);
    updateRefineState(state, batchOf(d));
    return state;
  };
}

describe('solveCoefficients then completeSolve', () => {
  const d = wideData(CERTIFY_MIN_COLUMNS + 36, 20261207);
  const f = factorOf(d);
  const o = resolveSolveOptions({});
  const part = solveCoefficients(f, o);
  const s = completeSolve(part);

  it('defers a wide design’s covariance, with its diagonal’s bits', () => {
    expect(part.covUnscaled).toBeUndefined();
    expect(part.covDiagonal).toBeDefined();
    expect(differences(part.covDiagonal as Float64Array, diagonalOf(s))).toEqual([]);
  });

  it('is solve() bit for bit', () => {
    const whole = solve(f);
    expect(differences(s.coefficients, whole.coefficients)).toEqual([]);
    expect(differences(s.covUnscaled, whole.covUnscaled)).toEqual([]);
    expect(differences(s.vif, whole.vif)).toEqual([]);
    expect(s.rss).toBe(whole.rss);
    expect(s.conditionNumberRaw).toBe(whole.conditionNumberRaw);
    expect(s.predictionFactor).toEqual(whole.predictionFactor);
  });

  it('decides refinement as the whole Solution does (here: a pass, without the Gram)', () => {
    const kappa = identifiedConditionNumber(f, s.conditionNumber, s.aliased);
    expect(
      differences(componentRelativeErrors(f, part, kappa), componentRelativeErrors(f, s, kappa)),
    ).toEqual([]);
    expect(needsRefinement(f, part)).toBe(needsRefinement(f, s));
    expect(normWiseNeedsRefinement(f, part)).toBe(normWiseNeedsRefinement(f, s));
    // Noise-sized coefficients ask for the component-wise pass; κ is too small for the Gram's.
    expect(refinementPlan(f, part, 'auto')).toEqual({ gram: false });
    expect(refinementPlan(f, s, 'auto')).toEqual({ gram: false });
    expect(refinementPlan(f, part, 'on')).toEqual({});
  });

  it('forms a narrow design’s covariance in the first half', () => {
    const narrow = factorOf(filipLike());
    const first = solveCoefficients(narrow, o);
    expect(first.covUnscaled).toBeDefined();
    expect(first.covDiagonal).toBeUndefined();
    expect(refinementPlan(narrow, first, 'auto')).toEqual(
      refinementPlan(narrow, solve(narrow), 'auto'),
    );
  });
});

describe('continueRefinement from a first pass started early', () => {
  for (const [name, d] of [
    ['wide', wideData(CERTIFY_MIN_COLUMNS + 36, 7)],
    ['filip-like (the Gram)', filipLike()],
  ] as const) {
    for (const mode of ['auto', 'on'] as const) {
      it(`gives runRefinement’s answer bit for bit (${name}, ${mode})`, async () => {
        const f = factorOf(d);
        const pass = inMemoryPass(d, f);
        const part = solveCoefficients(f, resolveSolveOptions({}));
        const plan = refinementPlan(f, part, mode);
        expect(plan).toBeDefined();
        const first = pass(part.coefficients, plan as RefinePassOptions);
        const early = await continueRefinement(
          f,
          completeSolve(part),
          mode,
          first,
          pass,
          plan as RefinePassOptions,
          2,
        );
        const late = await runRefinement(f, solve(f), mode, pass, 2);
        expect(early.passes).toBe(late.passes);
        expect(early.passes).toBeGreaterThan(0);
        expect(early.solution.refinementSteps).toBe(late.passes);
        expect(differences(early.solution.coefficients, late.solution.coefficients)).toEqual([]);
        expect(differences(early.solution.covUnscaled, late.solution.covUnscaled)).toEqual([]);
        expect(early.solution.rss).toBe(late.solution.rss);
        expect(early.solution.warnings).toEqual(late.solution.warnings);
      });
    }
  }
});
