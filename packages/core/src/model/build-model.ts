/**
 * Assembles the fitted model from the numerics' outputs (factor, solution,
 * inference) and the names the caller fitted with. The result is plain data in
 * the documented order of docs/model-format.md, ready for `modelToJson`.
 */

import { ModelFormatError } from '@linreg/errors';
import type { DesignProgram } from '../formula/program.js';
import type { Inference } from '../numerics/inference/index.js';
import { CONDITION_WARNING, type Solution, VIF_WARNING } from '../numerics/solve/index.js';
import type { FactorShape } from '../numerics/types.js';
import { matrixRows } from './matrix-rows.js';
import {
  designNames,
  type LinregModel,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelAlias,
  type ModelAnovaTerm,
  type ModelCoefficient,
  type ModelDiagnostics,
  type ModelSgd,
  type ModelSolver,
  type ModelTriangularFactor,
} from './model.js';
import { relationText } from './relation-text.js';

export interface BuildModelInput {
  /** The factor of the fit, or (SGD without the exact check) just its shape. */
  readonly factor: FactorShape;
  readonly solution: Solution;
  readonly inference: Inference;
  /** The per-term ANOVA table (exact least squares only). */
  readonly anova?: readonly ModelAnovaTerm[] | undefined;
  readonly names: {
    readonly target: string;
    readonly features: readonly string[];
    readonly weights?: string | undefined;
    /** A formula's completed program (model format version 2's `terms`). */
    readonly terms?: DesignProgram | undefined;
  };
  /** Rows read, rows used by the fit, rows dropped for missing values. */
  readonly rows: { readonly read: number; readonly used: number; readonly dropped: number };
  readonly solver: ModelSolver;
  /** Confidence level; defaults to `inference.level` and must agree with it. */
  readonly level?: number | undefined;
  /** The fit read temporal columns as seconds (recorded so predict does too). */
  readonly timestamps?: boolean | undefined;
  /** solver 'sgd': the optimizer's report. */
  readonly sgd?: ModelSgd | undefined;
  /** Residual diagnostics from the diagnostics pass. */
  readonly diagnostics?: ModelDiagnostics | undefined;
  /** Clock for `created`; tests inject a fixed one. */
  readonly now?: (() => Date) | undefined;
}

/**
 * Below this ratio of residual variance to mean square of y the fit is
 * "essentially perfect" and its t/p values are unreliable (R's summary.lm uses
 * the same 1e-30 rule on the fitted values).
 */
const PERFECT_FIT_RATIO = 1e-30;

export function buildModel(input: BuildModelInput): LinregModel {
  const { factor, solution, inference, names } = input;
  const m = solution.m;
  const where = 'buildModel';
  if (names.features.length !== factor.spec.p) {
    throw new ModelFormatError(
      where,
      'names.features',
      `${names.features.length} names for ${factor.spec.p} feature columns`,
    );
  }
  if (m !== factor.k - 1 || inference.estimate.length !== m) {
    throw new ModelFormatError(
      where,
      'solution.m',
      `solution has ${m} columns, factor ${factor.k - 1}, inference ${inference.estimate.length}`,
    );
  }
  const level = input.level ?? inference.level;
  if (level !== inference.level) {
    throw new ModelFormatError(
      where,
      'level',
      `${level} differs from the inference's ${inference.level}`,
    );
  }

  const design = designNames(factor.spec.intercept, names.features);
  const aliasedSet = new Set(solution.aliased);

  const coefficients: ModelCoefficient[] = design.map((name, j) => ({
    name,
    estimate: inference.estimate[j],
    stdError: inference.stdError[j],
    t: inference.tValue[j],
    p: inference.pValue[j],
    ciLow: inference.ciLow[j],
    ciHigh: inference.ciHigh[j],
    vif: solution.vif[j],
    aliased: aliasedSet.has(j),
  }));

  const aliased: ModelAlias[] = solution.aliased.map((column) => {
    const relation = solution.relations.find((r) => r.column === column);
    // Features in design order, the intercept (the relation's constant) last.
    const interceptLast = (c: number) => (factor.spec.intercept && c === 0 ? m : c);
    const terms = [...(relation?.terms ?? [])]
      .sort((a, b) => interceptLast(a.column) - interceptLast(b.column))
      .map((t) => ({ name: design[t.column], coef: t.coef }));
    return { name: design[column], terms, relation: relationText(design[column], terms) };
  });

  const covUnscaled = matrixRows(solution.covUnscaled, m, m);

  const triangularFactor = modelFactor(solution, design);

  const robust = inference.robust;
  const covRobust = robust === undefined ? [] : matrixRows(robust.cov, m, m);

  const warnings = [...solution.warnings, ...collinearityWarnings(solution, design)];
  const n = inference.n;
  const sigma2 = inference.sigma * inference.sigma;
  if (inference.residualDf > 0 && sigma2 <= (PERFECT_FIT_RATIO * solution.tss) / n) {
    warnings.push('essentially perfect fit: standard errors, t and p-values are unreliable');
  }
  if (inference.approximate) {
    warnings.push(
      `ridge (lambda = ${solution.lambda}): standard errors, t, p-values, intervals and F are approximate`,
    );
  }

  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    created: (input.now ?? (() => new Date()))().toISOString(),
    target: names.target,
    features: [...names.features],
    intercept: factor.spec.intercept,
    weights: names.weights ?? null,
    ...(names.terms === undefined ? {} : { terms: names.terms }),
    ...(input.timestamps === true ? { timestamps: true as const } : {}),
    solver: input.solver,
    aliasedPolicy: solution.aliasedPolicy,
    ridge: { lambda: solution.lambda, standardize: solution.standardized },
    level,
    rank: solution.rank,
    coefficients,
    aliased,
    covUnscaled,
    ...(triangularFactor === undefined ? {} : { triangularFactor }),
    ...(robust === undefined ? {} : { se: robust.type, covRobust }),
    ...(robust?.cluster === undefined
      ? {}
      : {
          cluster: {
            columns: [...robust.cluster.columns],
            clusters: [...robust.cluster.clusters],
          },
        }),
    ...(input.anova === undefined ? {} : { anova: input.anova }),
    statistics: {
      sigma: inference.sigma,
      residualDf: inference.residualDf,
      modelDf: inference.modelDf,
      rSquared: inference.rSquared,
      adjRSquared: inference.adjRSquared,
      fStatistic: inference.fStatistic,
      fDf1: inference.fDf1,
      fDf2: inference.fDf2,
      fPValue: inference.fPValue,
      logLik: inference.logLik,
      logLikDf: inference.logLikDf,
      aic: inference.aic,
      bic: inference.bic,
      conditionNumber: inference.conditionNumber,
      ...(solution.conditionNumberRaw === undefined
        ? {}
        : { conditionNumberRaw: solution.conditionNumberRaw }),
      rss: solution.rss,
      tss: solution.tss,
      tCritical: inference.tCritical,
    },
    ...(input.diagnostics === undefined ? {} : { diagnostics: { ...input.diagnostics } }),
    rows: {
      read: input.rows.read,
      used: input.rows.used,
      droppedMissing: input.rows.dropped,
      positiveWeight: factor.rowsPositiveWeight,
    },
    gcv:
      solution.gcv === undefined
        ? null
        : {
            lambdas: Array.from(solution.gcv.lambdas),
            scores: Array.from(solution.gcv.scores),
            chosen: solution.gcv.chosen,
          },
    refinementSteps: solution.refinementSteps,
    ...(input.sgd === undefined ? {} : { sgd: input.sgd }),
    warnings,
  };
}

/**
 * The solution's prediction factor with column names, when it describes the
 * covariance the model reports: an SGD fit that did not converge keeps the
 * exact factor but reports no covariance (NaN), and then predict must not
 * produce standard errors either.
 */
function modelFactor(
  solution: Solution,
  design: readonly string[],
): ModelTriangularFactor | undefined {
  const f = solution.predictionFactor;
  if (f === undefined || solution.lambda > 0) return undefined;
  const m = solution.m;
  if (f.columns.some((j) => Number.isNaN(solution.covUnscaled[j * m + j]))) return undefined;
  const q = f.columns.length;
  const r = matrixRows(f.r, q, q);
  return { columns: f.columns.map((j) => design[j]), scales: Array.from(f.scales), r };
}

/** At most this many columns are named in one warning line. */
const NAMED_COLUMNS = 10;

/** 1e6 as people write it (toExponential gives 1e+6). */
const power = (x: number): string => x.toExponential(0).replace('+', '');

function nameList(names: readonly string[]): string {
  const shown = names.slice(0, NAMED_COLUMNS).join(', ');
  return names.length > NAMED_COLUMNS ? `${shown} and ${names.length - NAMED_COLUMNS} more` : shown;
}

/**
 * Near-collinearity of a least-squares fit, one line per symptom with the
 * columns named: VIFs above VIF_WARNING, and a scaled condition number above
 * CONDITION_WARNING with the columns of its near-dependency. Ridge fits get
 * neither: the penalty is the remedy they describe.
 */
function collinearityWarnings(solution: Solution, design: readonly string[]): string[] {
  if (solution.lambda > 0) return [];
  const lines: string[] = [];
  const inflated = design
    .map((name, j) => ({ name, vif: solution.vif[j] }))
    .filter((c) => c.vif > VIF_WARNING);
  if (inflated.length > 0) {
    const list = nameList(inflated.map((c) => `${c.name} (${c.vif.toExponential(1)})`));
    lines.push(
      `near-collinearity: variance inflation factor above ${power(VIF_WARNING)} for ${list}`,
    );
  }
  const involved = solution.nearDependency;
  if (involved !== undefined && involved.length > 0) {
    lines.push(
      `near-collinearity: condition number ${solution.conditionNumber.toExponential(1)} ` +
        `(unit-norm columns) above ${power(CONDITION_WARNING)}; the near-dependency involves ` +
        nameList(involved.map((j) => design[j])),
    );
  }
  return lines;
}
