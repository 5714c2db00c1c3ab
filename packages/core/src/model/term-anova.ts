/**
 * The per-term ANOVA table of one fit (R's anova.lm): sequential sums of
 * squares by term, each with its F test against the residual mean square.
 * A formula's terms group design columns (a factor's levels, poly's degrees);
 * without a formula each feature is a term. Only exact least squares has one
 * (ridge and SGD do not minimise the residual sum of squares).
 */

import { type DesignProgram, termColumnRanges } from '../formula/program.js';
import { fUpperTail, termSums } from '../numerics/inference/index.js';
import type { Solution } from '../numerics/solve/index.js';
import type { TriangularFactor } from '../numerics/types.js';
import type { ModelAnovaTerm } from './model.js';

export function termAnova(
  factor: TriangularFactor,
  solution: Solution,
  kept: readonly number[],
  features: readonly string[],
  terms: DesignProgram | undefined,
): ModelAnovaTerm[] | undefined {
  if (solution.lambda !== 0) return undefined;
  const offset = factor.spec.intercept ? 1 : 0;
  const labels = terms === undefined ? [...features] : terms.terms.map((t) => t.label);
  const assign = new Array<number>(features.length + offset).fill(-1);
  if (terms === undefined) {
    features.forEach((_, j) => {
      assign[j + offset] = j;
    });
  } else {
    termColumnRanges(terms).forEach(([start, end], t) => {
      for (let c = start; c < end; c++) assign[c + offset] = t;
    });
  }
  const sums = termSums(factor, kept, assign, labels.length);
  const rdf = solution.rank === 0 ? 0 : factor.rowsPositiveWeight - solution.rank;
  const residualMeanSq = rdf > 0 ? solution.rss / rdf : Number.NaN;
  const rows: ModelAnovaTerm[] = [];
  labels.forEach((term, t) => {
    const df = sums.df[t] as number;
    if (df === 0) return;
    const sumSq = sums.sumSq[t] as number;
    const meanSq = sumSq / df;
    const f = meanSq / residualMeanSq;
    rows.push({
      term,
      df,
      sumSq,
      meanSq,
      f,
      p: Number.isFinite(f) ? fUpperTail(f, df, rdf) : Number.NaN,
    });
  });
  return rows;
}
