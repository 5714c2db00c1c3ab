/**
 * The effective degrees of freedom of a ridge fit, tr(X(XᵀX + λD)⁻¹Xᵀ),
 * against its exact value in rationals on longley-like data (scaled κ 1.2e5,
 * raw singular values from 0.23 to 4.2e5): from the singular values
 * (Σσ²/(σ²+λ) + 1) it keeps ≥ 14 digits, also after refinement, which used
 * to replace it by tr(HG) from matrices rounded to double (7.1–12.5 digits).
 */
import { describe, expect, it } from 'vitest';
import { refineInMemory } from '../../../../packages/core/src/numerics/refine/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { batchOf, factorOf } from '../../support/factor-of.js';
import {
  type Q,
  q,
  qAdd,
  qDiv,
  qInt,
  qMul,
  qSub,
  qToNumber,
  solveExact,
} from '../../support/rational.js';
import { designColumns, longleyLike } from '../../support/reference-problems.js';

const problem = longleyLike();
const data = { intercept: true, x: problem.x, y: problem.y };
const cols = designColumns(problem);
const m = cols.length;
const gram: Q[][] = cols.map((a) =>
  cols.map((b) => a.reduce((s: Q, v, i) => qAdd(s, qMul(q(v), q(b[i] as number))), qInt(0n))),
);

/** tr((G + λD)⁻¹G) exactly, D = diag(0, 1, …, 1). */
function exactDf(lambda: number): Q {
  const h = gram.map((row, i) => row.map((v, j) => (i === j && i > 0 ? qAdd(v, q(lambda)) : v)));
  const { num, den } = solveExact(h, gram);
  let trace = qInt(0n);
  for (let j = 0; j < m; j++) trace = qAdd(trace, qInt(num[j]?.[j] as bigint, den));
  return trace;
}

function digits(value: number, exact: Q): number {
  const rel = qToNumber(qDiv(qSub(q(value), exact), exact));
  return rel === 0 ? 17 : -Math.log10(Math.abs(rel));
}

describe('ridge effective df from singular values', () => {
  it.each([1e-8, 1e-4, 0.1, 10, 1e3, 1e5, 1e7, 1e9, 1e11, 1e13])(
    'lambda = %s: ≥ 14 digits, before and after refinement',
    (lambda) => {
      const factor = factorOf(data);
      const solution = solve(factor, { ridge: lambda });
      const refined = refineInMemory(factor, solution, [batchOf(data)]);
      expect(refined.refinementSteps).toBeGreaterThan(0);
      const exact = exactDf(lambda);
      expect(digits(solution.modelDf, exact)).toBeGreaterThanOrEqual(14);
      expect(digits(refined.modelDf, exact)).toBeGreaterThanOrEqual(14);
      expect(refined.residualDf).toBe(solution.residualDf);
    },
  );

  it('at the λ GCV chose, the same df', () => {
    const factor = factorOf(data);
    const solution = solve(factor, { ridge: 'auto' });
    expect(digits(solution.modelDf, exactDf(solution.lambda))).toBeGreaterThanOrEqual(14);
  });
});
