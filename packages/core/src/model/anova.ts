/**
 * R's `anova(m1, m2)` for two nested linear models, from what their model
 * files store: each model's residual df ν and residual sum of squares, then
 *
 *     Df = ν₁ − ν₂,  Sum of Sq = RSS₁ − RSS₂,  F = (Sum of Sq / Df) / (RSS_b / ν_b),
 *     Pr(>F) = P(F(|Df|, ν_b) > F)
 *
 * with b the model of fewer residual df (the larger one), as R's
 * `anova.lmlist` and `stat.anova` compute them (either order; Df = 0 gives
 * F = NA). The F test is only meaningful for models fitted to the same rows
 * with one column space inside the other. A model file cannot prove that, but
 * it shows enough to refuse most mistakes: both models must be exact least
 * squares (not SGD, no ridge penalty) of the same target, with the same
 * weights column and intercept, on the same number of rows (used and of
 * positive weight), with the same total sum of squares (which depends on the
 * target, weights and rows only), and the features of one must all be
 * features of the other. Anything else is a ModelMismatchError naming the
 * field.
 */
import { ModelMismatchError } from '@linreg/errors';
import { fUpperTail } from '../numerics/inference/index.js';
import type { LinregModel } from './model.js';

/** Relative difference above which two models' total sums of squares are not the same data's. */
export const TSS_TOLERANCE = 1e-6;

/** One line of the table; NaN where R prints nothing (the first model's Df, Sum of Sq, F, Pr(>F)). */
export interface AnovaRow {
  /** Residual degrees of freedom. */
  readonly resDf: number;
  /** Residual sum of squares (weighted for WLS). */
  readonly rss: number;
  readonly df: number;
  readonly sumOfSq: number;
  readonly f: number;
  readonly p: number;
}

export interface AnovaTable {
  /** The models' formulas, `y ~ x1 + x2` (`0 + …` without an intercept), in the order given. */
  readonly formulas: readonly [string, string];
  readonly rows: readonly [AnovaRow, AnovaRow];
}

/** The fit's formula as given, else `target ~ features` as R prints a formula (`y ~ 1` for no features, `y ~ 0 + x` without an intercept). */
export function modelFormula(model: LinregModel): string {
  if (model.terms !== undefined) return model.terms.formula;
  const terms = model.features.length === 0 ? '1' : model.features.join(' + ');
  return `${model.target} ~ ${model.intercept ? '' : '0 + '}${terms}`;
}

const show = (v: unknown): string => (typeof v === 'string' ? `'${v}'` : String(v));

/**
 * The analysis-of-variance table of two nested models, in the order given.
 * `names` name the two models (their files) in errors.
 */
export function anovaModels(
  first: LinregModel,
  second: LinregModel,
  names: readonly [string, string] = ['model 1', 'model 2'],
): AnovaTable {
  const [n1, n2] = names;
  const differ = (field: string, a: unknown, b: unknown): void => {
    if (a !== b) {
      throw new ModelMismatchError(
        n2,
        field,
        `${show(b)} here, ${show(a)} in ${n1}: the models are not comparable`,
      );
    }
  };
  for (const [model, name] of [
    [first, n1],
    [second, n2],
  ] as const) {
    if (model.solver === 'sgd') {
      throw new ModelMismatchError(
        name,
        'solver',
        'sgd: its RSS is not the least-squares minimum; refit with solver qr or normal',
      );
    }
    if (model.ridge.lambda !== 0) {
      throw new ModelMismatchError(
        name,
        'ridge.lambda',
        `${model.ridge.lambda}: a penalized fit has no F test of nested models`,
      );
    }
  }
  differ('target', first.target, second.target);
  differ('weights', first.weights, second.weights);
  differ('intercept', first.intercept, second.intercept);
  differ('rows.used', first.rows.used, second.rows.used);
  differ('rows.positiveWeight', first.rows.positiveWeight, second.rows.positiveWeight);
  const t1 = first.statistics.tss;
  const t2 = second.statistics.tss;
  if (!(Math.abs(t1 - t2) <= TSS_TOLERANCE * Math.max(Math.abs(t1), Math.abs(t2)))) {
    throw new ModelMismatchError(
      n2,
      'statistics.tss',
      `${t2} here, ${t1} in ${n1}: not fitted to the same data`,
    );
  }
  const [small, big, smallName, bigName] =
    first.features.length <= second.features.length
      ? [first, second, n1, n2]
      : [second, first, n2, n1];
  const inBig = new Set(big.features);
  const missing = small.features.filter((f) => !inBig.has(f));
  if (missing.length > 0) {
    throw new ModelMismatchError(
      smallName,
      'features',
      `${missing.join(', ')} not in ${bigName}: the models are not nested`,
    );
  }

  const resDf = [first.statistics.residualDf, second.statistics.residualDf] as const;
  const rss = [first.statistics.rss, second.statistics.rss] as const;
  // R: the scale is that of the model with the fewest residual df (the first of them on a tie).
  const b = resDf[1] < resDf[0] ? 1 : 0;
  const scale = rss[b] / resDf[b];
  const df = resDf[0] - resDf[1];
  const sumOfSq = rss[0] - rss[1];
  const f = df === 0 ? Number.NaN : sumOfSq / df / scale;
  const p = df === 0 ? Number.NaN : fUpperTail(f, Math.abs(df), resDf[b]);
  const nan = Number.NaN;
  return {
    formulas: [modelFormula(first), modelFormula(second)],
    rows: [
      { resDf: resDf[0], rss: rss[0], df: nan, sumOfSq: nan, f: nan, p: nan },
      { resDf: resDf[1], rss: rss[1], df, sumOfSq, f, p },
    ],
  };
}
