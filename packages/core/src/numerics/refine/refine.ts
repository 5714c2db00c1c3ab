/**
 * Iterative refinement of a solution through a second streaming pass.
 *
 * ## Method
 *
 * Corrected semi-normal equations (Björck, "Stability analysis of the method
 * of seminormal equations", Linear Algebra Appl. 88/89, 1987; Numerical
 * Methods for Least Squares Problems, §2.5.4): with the residual r = y − Xβ
 * and g = XᵀWr summed exactly enough in double-double (refine-state.ts),
 *
 *     δ = (RᵀR)⁻¹ g   (two triangular solves with the factor),   β ← β + δ.
 *
 * One step multiplies the error by about κ_s·ε (κ_s the scaled condition
 * number), so it converges whenever κ_s·ε ≪ 1 — always for a QR factor of a
 * design the rank rule calls full rank. For rank-deficient fits the step is
 * taken on the kept columns (and projected back for `min-norm`); for ridge it
 * uses the factor of XᵀWX + P and the gradient g − Pβ.
 *
 * **Covariance.** (XᵀWX)⁻¹ from R is only accurate to ~κ_s·ε relative (about
 * 6–7 digits on a Filip-like degree-10 polynomial, κ_s ≈ 6e9), not enough for
 * 7 digits of every standard error. When the pass also summed G = XᵀWX in
 * double-double (the default for m ≤ 64), G (+ the ridge penalty) is factored
 * by a double-double Cholesky (dd-cholesky.ts): C = G⁻¹ is then accurate to
 * ~κ_s²·2⁻¹⁰⁴ and the step is the Newton step δ = G⁻¹g solved in dd, which
 * reaches ~13–14 digits in one pass on Filip-like data. (Refining C by the residual
 * iteration C ← C + (RᵀR)⁻¹(I − GC) was measured and rejected: its contraction
 * factor is ~κ_s²·ε > 1 on Filip-like data, and C in double cannot make
 * I − GC small.) Without the Gram, or if G is not numerically positive
 * definite, the step is the corrected semi-normal one and C is left as is.
 *
 * **Ridge df and the prediction factor.** The effective df of a ridge fit is
 * kept as the solver computed it from singular values (it does not depend on
 * β). With the Gram, an OLS fit's prediction factor (solve/prediction-
 * factor.ts) becomes the double-double Cholesky factor U rounded to double:
 * the factor of the covariance now reported, and ‖U⁻ᵀx‖² is then as
 * accurate as from a TSQR factor even on the normal-equations route.
 *
 * **Warning.** A step that leaves an estimated error below
 * 10^−REFINE_TARGET_DIGITS removes the solver's normal-equations warning.
 *
 * **RSS.** The pass gives S = Σ w r² at β exactly enough; the RSS at β + δ is
 * S − 2δᵀg + ‖Xδ‖², a small correction of an accurate number (never
 * yᵀy − βᵀXᵀy), with ‖Xδ‖² = δᵀGδ in double-double when the pass has the Gram
 * (R may be poor, e.g. from the normal-equations route), else ‖R_X δ‖². A step that would increase the RSS is rejected (β kept, RSS
 * replaced by S, `improved` false).
 */

import { NumericInputError } from '@linreg/errors';
import {
  ddAdd,
  ddCholesky,
  ddInverseGram,
  ddInvertUpper,
  ddMul,
  ddSolveWithInverse,
  ddToNumber,
  multiplySquare,
  solveUpper,
  solveUpperTransposed,
  twoProduct,
} from '../linalg/index.js';
import type { Solution } from '../solve/index.js';
import {
  applyMatrix,
  type ComponentErrorInput,
  componentRelativeErrors,
  congruence,
  describeAliasing,
  designColumnNorms,
  embedCovariance,
  estimatedRelativeError,
  identifiedConditionNumber,
  keptFactor,
  largestResolved,
  minNormProjection,
  NORMAL_EQUATIONS_WARNING,
  type PredictionFactor,
  penaltyWeights,
  predictionFactor,
  REFINE_COMPONENT_DIGITS,
  REFINE_TARGET_DIGITS,
  ridgeFactor,
} from '../solve/index.js';
import type { DesignBatch, TriangularFactor } from '../types.js';
import {
  createRefineState,
  gramIndex,
  type RefineState,
  refineCoefficients,
  refineOffsets,
  updateRefineState,
} from './refine-state.js';

export {
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  type RefineState,
  type RefineStateOptions,
  serializeRefineState,
  updateRefineState,
} from './refine-state.js';

/** A step whose scaled relative correction is below this has converged. */
export const CONVERGED_CORRECTION = 1e-14;
const EPS = 2 ** -53;

export interface RefinementStep {
  readonly solution: Solution;
  /**
   * Another pass is likely to improve the solution further: the norm-wise
   * error left after this step, estimated as correctionNorm × the step's
   * contraction factor, still exceeds CONVERGED_CORRECTION (see
   * `applyRefinement`). Norm-wise on purpose: spread onto each coefficient
   * (`errorLeft`) the estimate is about 10× pessimistic, and at that level a
   * further pass only stirs rounding (filip-like: 14.5 digits after one pass,
   * 13.9 after a second).
   */
  readonly improved: boolean;
  /**
   * The largest estimated relative error of a coefficient after this step:
   * the step's scaled size ‖Dδ‖ × its contraction factor, over dⱼ|βⱼ|
   * (component-wise, as the decision to refine), plus ε for the rounding of
   * βⱼ; coefficients at rounding level (estimate ≥ 1) left out, as in
   * `needsRefinement`. NaN when the step was rejected.
   */
  readonly errorLeft: number;
  /** ‖Dδ‖₂ / ‖Dβ‖₂ with D the design column norms (NaN-safe: dropped columns count 0). */
  readonly correctionNorm: number;
}

/**
 * Whether the one-pass answer has likely lost digits that refinement would
 * recover: the norm-wise estimate of solve/error-estimate.ts exceeds
 * 10^−REFINE_TARGET_DIGITS, or the component-wise estimate of some
 * coefficient exceeds 10^−REFINE_COMPONENT_DIGITS.
 */
export function needsRefinement(factor: TriangularFactor, solution: RefineDecisionInput): boolean {
  if (normWiseNeedsRefinement(factor, solution)) return true;
  const kappa = identifiedConditionNumber(factor, solution.conditionNumber, solution.aliased);
  const components = componentRelativeErrors(factor, solution, kappa);
  return largestResolved(components) > 10 ** -REFINE_COMPONENT_DIGITS;
}

/**
 * What the refinement decision reads of a solution: a Solution, or the first
 * half of a solve (solve.ts CoefficientSolve), which has the covariance's
 * diagonal before the covariance.
 */
export interface RefineDecisionInput extends ComponentErrorInput {
  readonly conditionNumber: number;
  readonly aliased: readonly number[];
}

/**
 * The norm-wise half of `needsRefinement`: the one that also concerns the
 * standard errors, whose refinement needs the pass's double-double Gram.
 */
export function normWiseNeedsRefinement(
  factor: TriangularFactor,
  solution: RefineDecisionInput,
): boolean {
  const kappa = identifiedConditionNumber(factor, solution.conditionNumber, solution.aliased);
  return estimatedRelativeError(factor, kappa, solution.rss) > 10 ** -REFINE_TARGET_DIGITS;
}

interface Subproblem {
  /** Columns the step acts on (ascending). */
  readonly active: readonly number[];
  /** Upper-triangular factor F with FᵀF = the active normal matrix, and its leading dimension. */
  readonly f: Float64Array;
  readonly ld: number;
  /** Penalty diagonal on the active columns (zeros for OLS). */
  readonly penalty: Float64Array;
}

function subproblemOf(factor: TriangularFactor, solution: Solution): Subproblem {
  const k = factor.k;
  const m = k - 1;
  if (solution.lambda > 0) {
    const w = penaltyWeights(factor, solution.standardized);
    const penalty = w.map((x) => x * solution.lambda);
    const all = Array.from({ length: m }, (_, j) => j);
    return { active: all, f: ridgeFactor(factor, solution.lambda, w), ld: k, penalty };
  }
  if (solution.aliased.length === 0) {
    const all = Array.from({ length: m }, (_, j) => j);
    return { active: all, f: factor.r, ld: k, penalty: new Float64Array(m) };
  }
  const isAliased = new Uint8Array(m);
  for (const c of solution.aliased) isAliased[c] = 1;
  const kept: number[] = [];
  for (let j = 0; j < m; j++) if (!isAliased[j]) kept.push(j);
  return {
    active: kept,
    f: keptFactor(factor, kept),
    ld: kept.length + 1,
    penalty: new Float64Array(kept.length),
  };
}

/**
 * From the pass's double-double Gram: the Cholesky factor U of the active
 * block of XᵀWX + P (dd) and U⁻¹ (dd), C = (XᵀWX + P)⁻¹ and the active XᵀWX,
 * both rounded to double. Undefined when the block is not numerically
 * positive definite.
 */
function gramInverse(
  sub: Subproblem,
  pass: RefineState,
  offGram: number,
): { u: Float64Array; inv: Float64Array; c: Float64Array; g: Float64Array } | undefined {
  const q = sub.active.length;
  const m = pass.m;
  const data = pass.data;
  const gdd = new Float64Array(2 * q * q);
  const g = new Float64Array(q * q);
  for (let a = 0; a < q; a++) {
    for (let b = 0; b < q; b++) {
      const o = offGram + 2 * gramIndex(m, sub.active[Math.min(a, b)], sub.active[Math.max(a, b)]);
      gdd[2 * (a * q + b)] = data[o];
      gdd[2 * (a * q + b) + 1] = data[o + 1];
      g[a * q + b] = data[o] + data[o + 1];
    }
    ddAdd(gdd, 2 * (a * q + a), sub.penalty[a], 0);
  }
  const u = ddCholesky(gdd, q);
  if (u === undefined) return undefined;
  const inv = ddInvertUpper(u, q);
  return { u, inv, c: ddInverseGram(inv, q), g };
}

/** δᵀGδ with G the pass's packed double-double Gram, accumulated in double-double. */
function gramQuadratic(pass: RefineState, offGram: number, delta: Float64Array): number {
  const m = pass.m;
  const data = pass.data;
  const acc = new Float64Array(2);
  const tmp = new Float64Array(2);
  const f = new Float64Array(2);
  let o = offGram;
  for (let a = 0; a < m; a++) {
    for (let b = a; b < m; b++) {
      // (a ≠ b counts twice) · δa·δb, exactly as a dd pair.
      twoProduct((a === b ? 1 : 2) * delta[a], delta[b], f, 0);
      ddMul(data[o], data[o + 1], f[0], f[1], tmp, 0);
      ddAdd(acc, 0, tmp[0], tmp[1]);
      o += 2;
    }
  }
  return ddToNumber(acc, 0);
}

/** ‖R_X δ‖² through the factor. */
function factorQuadratic(factor: TriangularFactor, delta: Float64Array): number {
  const k = factor.k;
  const m = k - 1;
  let quad = 0;
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = i; j < m; j++) s += factor.r[i * k + j] * delta[j];
    quad += s * s;
  }
  return quad;
}

/** The prediction factor (solve/prediction-factor.ts) of a dd factor U, rounded to double. */
function roundedFactor(u: Float64Array, q: number, columns: readonly number[]): PredictionFactor {
  const t = new Float64Array(q * q);
  for (let i = 0; i < q * q; i++) t[i] = u[2 * i] + u[2 * i + 1];
  return predictionFactor(t, q, columns);
}

/**
 * Estimated factor by which a step shrinks the error (capped at 1): about
 * 10·m·κ_s·2⁻⁵³ for a corrected semi-normal step through R, and
 * 10·m·κ_s²·2⁻¹⁰⁴ for the Newton step solved in double-double from the Gram
 * (the factor 10 is a safety margin). So the error left after a step of
 * relative size c is about c × contraction; when that is below
 * CONVERGED_CORRECTION another pass over the data would not pay.
 */
function contraction(m: number, kappa: number, gram: boolean): number {
  const f = gram ? 10 * m * kappa * kappa * 2 ** -104 : 10 * m * kappa * EPS;
  // NaN (no condition number) counts as no contraction.
  return Number.isNaN(f) ? 1 : Math.min(f, 1);
}

/**
 * What a refinement step needs of the factor and the solve but not of the
 * pass: the design column norms, the subproblem's factor, κ_s of the
 * identified columns (an SVD of the kept columns' factor when some are
 * aliased) and the min-norm projection. It stays the same from step to step
 * (a step changes β, the RSS and the covariance only), so a run prepares it
 * once, while its first pass is under way (continueRefinement).
 */
export interface RefinementPrep {
  readonly norms: Float64Array;
  readonly sub: Subproblem;
  readonly kappa: number;
  /** P = I − Q_N Q_Nᵀ for an OLS min-norm fit with aliased columns (solve/ols.ts). */
  readonly projection: Float64Array | undefined;
}

export function prepareRefinement(factor: TriangularFactor, solution: Solution): RefinementPrep {
  const m = factor.k - 1;
  const norms = designColumnNorms(factor);
  const minNorm =
    solution.lambda === 0 && solution.aliased.length > 0 && solution.aliasedPolicy === 'min-norm';
  return {
    norms,
    sub: subproblemOf(factor, solution),
    kappa: identifiedConditionNumber(factor, solution.conditionNumber, solution.aliased),
    projection: minNorm
      ? minNormProjection(m, describeAliasing(factor, norms, solution.aliased))
      : undefined,
  };
}

/**
 * One refinement step from a pass taken at `solution.coefficients`.
 * Returns the corrected solution (refinementSteps + 1) and whether another
 * pass is likely to help (`improved`).
 */
export function applyRefinement(
  factor: TriangularFactor,
  solution: Solution,
  pass: RefineState,
  prep: RefinementPrep = prepareRefinement(factor, solution),
): RefinementStep {
  const k = factor.k;
  const m = k - 1;
  if (pass.m !== m) {
    throw new NumericInputError(`refinement pass has m = ${pass.m}, the fit has m = ${m}`);
  }
  const passBeta = refineCoefficients(pass);
  for (let j = 0; j < m; j++) {
    const b = solution.coefficients[j];
    if ((Number.isNaN(b) ? 0 : b) !== passBeta[j]) {
      throw new NumericInputError(
        `refinement pass was taken at different coefficients (column ${j}: ${passBeta[j]} vs ${b})`,
      );
    }
  }
  const off = refineOffsets(m);
  const gAll = new Float64Array(m);
  for (let j = 0; j < m; j++) gAll[j] = ddToNumber(pass.data, off.g + 2 * j);
  const rssAtBeta = ddToNumber(pass.data, off.rss);

  const sub = prep.sub;
  const q = sub.active.length;
  const h = new Float64Array(q);
  sub.active.forEach((j, a) => {
    h[a] = gAll[j] - sub.penalty[a] * passBeta[j];
  });

  const refined = pass.gram ? gramInverse(sub, pass, off.gram) : undefined;
  let deltaActive: Float64Array;
  if (refined !== undefined) {
    deltaActive = ddSolveWithInverse(refined.inv, q, h);
  } else {
    deltaActive = h.slice();
    solveUpperTransposed(sub.f, sub.ld, q, deltaActive);
    solveUpper(sub.f, sub.ld, q, deltaActive);
  }

  // Embed the step in all m columns.
  let delta: Float64Array = new Float64Array(m);
  sub.active.forEach((j, a) => {
    delta[j] = deltaActive[a];
  });
  const projection = prep.projection;
  if (projection !== undefined) delta = applyMatrix(projection, m, delta);

  // RSS at β + δ = S − 2δᵀg + ‖Xδ‖², with ‖Xδ‖² = δᵀGδ summed in double-double
  // when the pass has the Gram (R may be poor, e.g. a normal-equations factor), else ‖R_X δ‖².
  let dg = 0;
  for (let j = 0; j < m; j++) dg += delta[j] * gAll[j];
  const quad = pass.gram ? gramQuadratic(pass, off.gram, delta) : factorQuadratic(factor, delta);
  const rssNew = rssAtBeta - 2 * dg + quad;

  const norms = prep.norms;
  let num = 0;
  let den = 0;
  const coefficients = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const b = solution.coefficients[j];
    coefficients[j] = Number.isNaN(b) ? b : b + delta[j];
    num += (norms[j] * delta[j]) ** 2;
    if (!Number.isNaN(b)) den += (norms[j] * coefficients[j]) ** 2;
  }
  const correctionNorm = den > 0 ? Math.sqrt(num / den) : Math.sqrt(num);

  let covUnscaled = solution.covUnscaled;
  let prediction = solution.predictionFactor;
  if (refined !== undefined) {
    // The factor of the covariance now in use: U (rounded entrywise, which moves
    // ‖U⁻ᵀx‖² by only ~κ_s·ε) — better than a normal-equations R, no worse than TSQR's.
    if (prediction !== undefined) prediction = roundedFactor(refined.u, q, sub.active);
    if (solution.lambda > 0) {
      // The effective df stays the solver's Σσ²/(σ²+λ): tr(HG) from C and G rounded to
      // double cancels (7–12 digits on longley-like data), and df does not depend on β.
      covUnscaled = multiplySquare(multiplySquare(refined.c, refined.g, q), refined.c, q);
    } else if (solution.aliased.length === 0) {
      covUnscaled = refined.c;
    } else if (projection !== undefined) {
      covUnscaled = congruence(projection, embedCovariance(refined.c, sub.active, m, 0), m);
    } else {
      covUnscaled = embedCovariance(refined.c, sub.active, m, Number.NaN);
    }
  }

  const worse = !(rssNew <= rssAtBeta * (1 + 1e-12) + Number.MIN_VALUE);
  const base = {
    ...solution,
    covUnscaled,
    predictionFactor: prediction,
    refinementSteps: solution.refinementSteps + 1,
  };
  if (worse || !Number.isFinite(correctionNorm)) {
    return {
      solution: { ...base, rss: rssAtBeta },
      improved: false,
      correctionNorm,
      errorLeft: Number.NaN,
    };
  }
  const shrink = contraction(m, prep.kappa, refined !== undefined);
  const left = correctionNorm * shrink;
  // Component-wise: the step's error, at most shrink·‖Dδ‖ in the scaled norm, spread onto one coefficient.
  const stepError = shrink * Math.sqrt(num);
  const perCoefficient = new Float64Array(m).fill(Number.NaN);
  for (let j = 0; j < m; j++) {
    const scaled = norms[j] * Math.abs(coefficients[j]);
    if (scaled > 0) perCoefficient[j] = stepError / scaled + EPS;
  }
  const errorLeft = largestResolved(perCoefficient);
  // The step corrected what the normal-equations warning was about: it no longer applies.
  const warnings =
    left <= 10 ** -REFINE_TARGET_DIGITS
      ? solution.warnings.filter((w) => !w.startsWith(NORMAL_EQUATIONS_WARNING))
      : solution.warnings;
  return {
    solution: { ...base, coefficients, rss: Math.max(rssNew, 0), warnings },
    improved: correctionNorm > CONVERGED_CORRECTION && left > CONVERGED_CORRECTION,
    correctionNorm,
    errorLeft,
  };
}

/** How refinement passes are wanted: `on` until converged, `auto` only while the estimates ask. */
export type RefineMode = 'auto' | 'on';

/** What a refinement pass sums besides g and S: the Gram when `gram` is not false (refine-state.ts). */
export interface RefinePassOptions {
  readonly gram?: boolean;
}

export interface RefinementRun {
  readonly solution: Solution;
  /** Passes over the data taken (0 when none was wanted). */
  readonly passes: number;
}

/**
 * The refinement policy of a fit, whatever runs the passes (the engine's
 * workers, or in-memory batches): under `auto`, a first pass only when
 * `needsRefinement`; then passes while a step is `improved` and — under
 * `auto` — leaves a coefficient with an estimated relative error
 * (`errorLeft`) above 10^−REFINE_COMPONENT_DIGITS, at most `maxPasses`.
 *
 * The passes sum the double-double Gram (O(m²) a row, the default for
 * m ≤ GRAM_MAX_COLUMNS) only under `on` or when the norm-wise estimate asks:
 * that is what refines the standard errors. When only the component-wise
 * estimate asks — coefficients small in the scaled norm, standard errors
 * already at ≥ REFINE_TARGET_DIGITS — the corrected semi-normal step through
 * R is enough for the coefficients, and the pass costs O(m) dd operations a
 * row.
 */
export async function runRefinement(
  factor: TriangularFactor,
  solution: Solution,
  mode: RefineMode,
  pass: RefinePass,
  maxPasses: number,
): Promise<RefinementRun> {
  const options = refinementPlan(factor, solution, mode);
  if (options === undefined) return { solution, passes: 0 };
  const first = pass(solution.coefficients, options);
  return continueRefinement(factor, solution, mode, first, pass, options, maxPasses);
}

/** Runs one refinement pass at β over the data and returns its merged state. */
export type RefinePass = (
  beta: Float64Array,
  options: RefinePassOptions,
) => RefineState | Promise<RefineState>;

/**
 * `runRefinement`'s decision alone: the first pass's options, or undefined
 * when the policy takes no pass (`auto`, and no estimate asks). It reads only
 * what a solve's first half has (RefineDecisionInput), so a fit can start the
 * first pass before the solve is complete (engine/exact/finish.ts).
 */
export function refinementPlan(
  factor: TriangularFactor,
  solution: RefineDecisionInput,
  mode: RefineMode,
): RefinePassOptions | undefined {
  if (mode === 'auto' && !needsRefinement(factor, solution)) return undefined;
  return mode === 'on' || normWiseNeedsRefinement(factor, solution) ? {} : { gram: false };
}

/**
 * `runRefinement` from its first pass on: `first` is that pass's state (or
 * its promise), taken at `solution.coefficients` with `options` =
 * refinementPlan(factor, solution, mode); later passes go through `pass`.
 */
export async function continueRefinement(
  factor: TriangularFactor,
  solution: Solution,
  mode: RefineMode,
  first: RefineState | Promise<RefineState>,
  pass: RefinePass,
  options: RefinePassOptions,
  maxPasses: number,
): Promise<RefinementRun> {
  // Computed while the first pass runs; the same for every step.
  const prep = prepareRefinement(factor, solution);
  let current = solution;
  let passes = 0;
  while (passes < maxPasses) {
    const state = await (passes === 0 ? first : pass(current.coefficients, options));
    passes += 1;
    const step = applyRefinement(factor, current, state, prep);
    current = step.solution;
    if (!step.improved) break;
    if (mode === 'auto' && step.errorLeft <= 10 ** -REFINE_COMPONENT_DIGITS) break;
  }
  return { solution: current, passes };
}

/**
 * Refinement over in-memory batches (tests, small data): passes are repeated
 * while a step still changes the solution and the correction keeps shrinking,
 * at most `maxSteps` times.
 */
export function refineInMemory(
  factor: TriangularFactor,
  solution: Solution,
  batches: readonly DesignBatch[],
  maxSteps = 4,
): Solution {
  const prep = prepareRefinement(factor, solution);
  let current = solution;
  let previous = Number.POSITIVE_INFINITY;
  for (let step = 0; step < maxSteps; step++) {
    const state = createRefineState(factor.spec, current.coefficients);
    for (const batch of batches) updateRefineState(state, batch);
    const result = applyRefinement(factor, current, state, prep);
    if (result.correctionNorm > previous) break;
    current = result.solution;
    previous = result.correctionNorm;
    if (!result.improved) break;
  }
  return current;
}
