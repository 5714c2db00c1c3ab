/**
 * computeInference against closed forms and reference values.
 *
 * Solutions come from an exact rational solve (inference-reference.ts), so the
 * only rounding under test is inference's own. Reference numbers marked
 * "scipy" were printed by numpy 2.4 + scipy 1.17 with the closed forms of R's
 * summary.lm / logLik.lm (script below, run with python3):
 *
 *   import numpy as np; from scipy import stats
 *   def ols(X, y, w=None, intercept=True, level=0.95):
 *       X = np.asarray(X, float); y = np.asarray(y, float)
 *       w = np.ones(len(y)) if w is None else np.asarray(w, float)
 *       keep = w > 0; X, y, w = X[keep], y[keep], w[keep]
 *       A = np.column_stack([np.ones(len(y)), X]) if intercept else X
 *       sw = np.sqrt(w); beta = np.linalg.lstsq(A * sw[:, None], y * sw, rcond=None)[0]
 *       n, m = A.shape; r = y - A @ beta; rss = np.sum(w * r * r)
 *       tss = np.sum(w * (y - np.average(y, weights=w))**2) if intercept else np.sum(w * y * y)
 *       df = n - m; s2 = rss / df; C = np.linalg.inv(A.T @ (A * w[:, None]))
 *       se = np.sqrt(s2 * np.diag(C)); t = beta / se; p = 2 * stats.t.sf(np.abs(t), df)
 *       q = stats.t.ppf(1 - (1 - level) / 2, df); i = 1 if intercept else 0
 *       r2 = 1 - rss / tss; adj = 1 - (1 - r2) * (n - i) / df
 *       F = ((tss - rss) / (m - i)) / s2; Fp = stats.f.sf(F, m - i, df)
 *       ll = 0.5 * (np.sum(np.log(w)) - n * (np.log(2*np.pi) + 1 - np.log(n) + np.log(rss)))
 *       print(beta, se, t, p, beta - q*se, beta + q*se, np.sqrt(s2), r2, adj, F, Fp,
 *             ll, -2*ll + 2*(m+1), -2*ll + np.log(n)*(m+1))
 *
 * The simple-regression values were cross-checked with scipy.stats.linregress
 * (slope SE 0.13926212476455815, intercept SE 0.864098759787714, p 1.2149055621359772e-06).
 */

import { NumericInputError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import {
  computeInference,
  type Inference,
} from '../../../../packages/core/src/numerics/inference/index.js';
import type { Solution } from '../../../../packages/core/src/numerics/solve/index.js';
import { droppedAliasFit, threeFeatures, weightedWithZero } from '../../model/model-reference.js';
import {
  exactFit,
  Rational,
  type ReferenceProblem,
  referenceFactor,
  referenceSolution,
  solveExact,
} from './reference.js';

const EPS = Number.EPSILON;

/** |actual − expected| ≤ tol·|expected| (or ≤ tol when expected is 0), with both printed on failure. */
function expectClose(actual: number, expected: number, tol: number, label = ''): void {
  const bound = tol * (expected === 0 ? 1 : Math.abs(expected));
  const ok = Math.abs(actual - expected) <= bound;
  expect(
    ok,
    `${label}: expected ${expected}, got ${actual}, |diff| ${Math.abs(actual - expected)} > ${bound}`,
  ).toBe(true);
}

function expectAllClose(
  actual: Float64Array,
  expected: readonly number[],
  tol: number,
  label: string,
) {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, j) => {
    expectClose(actual[j], e, tol, `${label}[${j}]`);
  });
}

function infer(problem: ReferenceProblem, level?: number): { inf: Inference; solution: Solution } {
  const solution = referenceSolution(problem);
  const inf = computeInference(
    referenceFactor(problem),
    solution,
    level === undefined ? {} : { level },
  );
  return { inf, solution };
}

interface Reference {
  readonly name: string;
  readonly problem: ReferenceProblem;
  readonly beta: readonly number[];
  readonly se: readonly number[];
  readonly t: readonly number[];
  readonly p: readonly number[];
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly sigma: number;
  readonly r2: number;
  readonly adj: number;
  readonly F: number;
  readonly Fp: number;
  readonly ll: number;
  readonly aic: number;
  readonly bic: number;
}

const simple: ReferenceProblem = {
  x: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((v) => [v]),
  y: [3, 5, 4, 8, 9, 12, 11, 15, 16, 20],
  intercept: true,
};

// All values: scipy (see the header).
const references: readonly Reference[] = [
  {
    name: 'simple regression',
    problem: simple,
    beta: [0.4, 1.8],
    se: [0.8640987597877149, 0.1392621247645583],
    t: [0.46291004988627354, 12.925265954710571],
    p: [0.6557603729483388, 1.214905562135985e-6],
    lo: [-1.5926153132952636, 1.4788609644156112],
    hi: [2.39261531329526, 2.121139035584391],
    sigma: 1.264911064067352,
    r2: 0.9543020349875044,
    adj: 0.9485897893609425,
    F: 167.0625,
    Fp: 1.214905562135992e-6,
    ll: -15.423685721704356,
    aic: 36.84737144340871,
    bic: 37.75512672239085,
  },
  {
    name: 'three features',
    problem: threeFeatures,
    beta: [4.495492712187021, 2.495529686310118, 0.6611474492476814, 0.9130784583781599],
    se: [0.8183598614898513, 0.13780075126952487, 0.16001408673529188, 0.11325260654411423],
    t: [5.493295704902764, 18.109695798603482, 4.131807784782127, 8.062317382712926],
    p: [5.783017233357723e-4, 8.876488892006281e-8, 0.0032902586576016276, 4.129423118970497e-5],
    lo: [2.6083514875063156, 2.177760584048353, 0.2921543035451803, 0.6519174793647822],
    hi: [6.382633936867727, 2.813298788571883, 1.0301405949501825, 1.1742394373915377],
    sigma: 0.9224508794787425,
    r2: 0.9955765473544752,
    adj: 0.9939177526124034,
    F: 600.1806746210356,
    Fp: 9.405378766208115e-10,
    ll: -13.625817929855273,
    aic: 37.25163585971055,
    bic: 39.67616910865055,
  },
  {
    name: 'weighted, one zero weight',
    problem: weightedWithZero,
    beta: [1.4147428192481455, 0.695838686948232, 1.2911054005885525],
    se: [0.5347994898037061, 0.08105589040934888, 0.17142605812036144],
    t: [2.645370547693334, 8.584677602504936, 7.5315585900134465],
    p: [0.045680040553986896, 3.5361475942209507e-4, 6.533691510422943e-4],
    lo: [0.03999696505117023, 0.487477887390632, 0.8504406894296163],
    hi: [2.7894886734451205, 0.904199486505832, 1.7317701117474886],
    sigma: 0.7080732746390382,
    r2: 0.96674478180874,
    adj: 0.9534426945322361,
    F: 72.67617192050297,
    Fp: 2.0167381049699843e-4,
    ll: -5.813952450913993,
    aic: 19.627904901827986,
    bic: 19.945671068547327,
  },
  {
    name: 'no intercept (uncentered R², F on rank df)',
    problem: {
      x: [1, 2, 3, 4, 5, 6, 7, 8].map((v) => [v]),
      y: [2, 3, 7, 8, 9, 13, 14, 15],
      intercept: false,
    },
    beta: [1.9705882352941175],
    se: [0.0581190305917267],
    t: [33.906075432280744],
    p: [5.030717747769564e-9],
    lo: [1.8331585660778578],
    hi: [2.1080179045103775],
    sigma: 0.8301057946142172,
    r2: 0.9939478928334194,
    adj: 0.9930833060953365,
    F: 1149.6219512195119,
    Fp: 5.030717747769564e-9,
    ll: -9.327765711750187,
    aic: 22.655531423500374,
    bic: 22.814414506860047,
  },
];

describe('computeInference against scipy reference values', () => {
  // The references carry numpy's own rounding (lstsq, inv); 1e-11 relative
  // covers that; p-values in the far tail amplify it by |t|², hence 1e-9 there.
  for (const ref of references) {
    it(ref.name, () => {
      const { inf } = infer(ref.problem);
      expectAllClose(inf.estimate, ref.beta, 1e-12, 'estimate');
      expectAllClose(inf.stdError, ref.se, 1e-11, 'stdError');
      expectAllClose(inf.tValue, ref.t, 1e-11, 't');
      expectAllClose(inf.pValue, ref.p, 1e-9, 'p');
      expectAllClose(inf.ciLow, ref.lo, 1e-11, 'ciLow');
      expectAllClose(inf.ciHigh, ref.hi, 1e-11, 'ciHigh');
      expectClose(inf.sigma, ref.sigma, 1e-12, 'sigma');
      expectClose(inf.rSquared, ref.r2, 1e-12, 'rSquared');
      expectClose(inf.adjRSquared, ref.adj, 1e-12, 'adjRSquared');
      expectClose(inf.fStatistic, ref.F, 1e-11, 'F');
      expectClose(inf.fPValue, ref.Fp, 1e-9, 'F p');
      expectClose(inf.logLik, ref.ll, 1e-12, 'logLik');
      expectClose(inf.aic, ref.aic, 1e-12, 'aic');
      expectClose(inf.bic, ref.bic, 1e-12, 'bic');
      expect(inf.level).toBe(0.95);
      expect(inf.approximate).toBe(false);
      expect(inf.conditionNumber).toBe(12.5);
    });
  }
});

describe('computeInference closed forms', () => {
  it('simple regression: SE(slope) = σ/√Sxx, SE(intercept) = σ√(1/n + x̄²/Sxx), R² = r², F = t²', () => {
    const x = simple.x.map((r) => r[0]);
    const y = simple.y;
    const n = x.length;
    const xbar = x.reduce((a, b) => a + b) / n;
    const ybar = y.reduce((a, b) => a + b) / n;
    let sxx = 0;
    let sxy = 0;
    let syy = 0;
    for (let i = 0; i < n; i++) {
      sxx += (x[i] - xbar) ** 2;
      sxy += (x[i] - xbar) * (y[i] - ybar);
      syy += (y[i] - ybar) ** 2;
    }
    const slope = sxy / sxx;
    const rss = syy - slope * sxy;
    const sigma = Math.sqrt(rss / (n - 2));
    const { inf } = infer(simple);
    expectClose(inf.estimate[1], slope, 4 * EPS, 'slope');
    expectClose(inf.stdError[1], sigma / Math.sqrt(sxx), 8 * EPS, 'SE slope');
    expectClose(
      inf.stdError[0],
      sigma * Math.sqrt(1 / n + xbar ** 2 / sxx),
      8 * EPS,
      'SE intercept',
    );
    expectClose(inf.rSquared, (sxy * sxy) / (sxx * syy), 8 * EPS, 'R²');
    expectClose(inf.fStatistic, inf.tValue[1] ** 2, 16 * EPS, 'F = t²');
    expectClose(inf.fPValue, inf.pValue[1], 1e-13, 'p(F) = p(t)');
    expect(inf.residualDf).toBe(n - 2);
    expect(inf.fDf1).toBe(1);
    expect(inf.fDf2).toBe(n - 2);
    expect(inf.n).toBe(n);
  });

  it('the confidence level sets the t quantile of the intervals', () => {
    const { inf } = infer(simple, 0.9);
    // scipy: -stats.t.ppf(0.05, 8) = 1.859548037530898 (mpmath at 40 digits agrees)
    expectClose(inf.tCritical, 1.859548037530898, 1e-13, 'q');
    expectClose(
      inf.ciHigh[1] - inf.estimate[1],
      1.859548037530898 * inf.stdError[1],
      1e-13,
      'half',
    );
    expect(() => infer(simple, 1)).toThrow(NumericInputError);
    expect(() => infer(simple, 0)).toThrow(/confidence level must be in \(0, 1\), got 0/);
    const mismatched = referenceSolution(references[1].problem);
    expect(() => computeInference(referenceFactor(simple), mismatched)).toThrow(
      /does not match the factor's 2 design columns/,
    );
  });

  it('weighted log-likelihood is the sum of the Gaussian log densities N(y; xβ, σ̃²/w) at σ̃² = RSS/n', () => {
    const problem = references[2].problem;
    const w = problem.w ?? [];
    const { inf, solution } = infer(problem);
    const n = w.filter((v) => v > 0).length;
    const s2 = solution.rss / n;
    let direct = 0;
    problem.y.forEach((y, i) => {
      if (w[i] === 0) return;
      const mu =
        solution.coefficients[0] +
        problem.x[i].reduce((a, v, j) => a + v * solution.coefficients[j + 1], 0);
      const variance = s2 / w[i];
      direct += -0.5 * Math.log(2 * Math.PI * variance) - (y - mu) ** 2 / (2 * variance);
    });
    expectClose(inf.logLik, direct, 1e-13, 'logLik');
    expect(inf.n).toBe(8);
  });

  it('AIC and BIC count rank + 1 parameters (R); statsmodels = ours − 2 and ours − log n', () => {
    const { inf } = infer(references[1].problem);
    expect(inf.logLikDf).toBe(5);
    expectClose(inf.aic, -2 * inf.logLik + 2 * 5, EPS, 'aic');
    expectClose(inf.bic, -2 * inf.logLik + Math.log(12) * 5, EPS, 'bic');
    // statsmodels OLS(y, add_constant(X)).fit().aic would be −2ℓ + 2·rank:
    expectClose(inf.aic - 2, -2 * inf.logLik + 2 * 4, EPS, 'statsmodels aic');
  });

  it('an intercept-only model has no F test', () => {
    const problem: ReferenceProblem = { x: [[], [], [], []], y: [1, 2, 4, 5], intercept: true };
    const { inf } = infer(problem);
    expect(inf.estimate[0]).toBe(3);
    expect(inf.rSquared).toBe(0);
    expect(inf.fStatistic).toBeNaN();
    expect(inf.fDf1).toBeNaN();
    expect(inf.fPValue).toBeNaN();
    // SE of the mean: s/√n with s² = 10/3.
    expectClose(inf.stdError[0], Math.sqrt(10 / 3 / 4), 4 * EPS, 'SE mean');
  });
});

describe('computeInference edge cases', () => {
  it('a saturated fit (residual df 0) has NaN SE, t, p, CI, adjusted R² and F, as R', () => {
    const problem: ReferenceProblem = { x: [[1], [2]], y: [1, 3], intercept: true };
    const { inf } = infer(problem);
    expect(Array.from(inf.estimate)).toEqual([-1, 2]);
    for (const arr of [inf.stdError, inf.tValue, inf.pValue, inf.ciLow, inf.ciHigh]) {
      expect(Array.from(arr).every(Number.isNaN)).toBe(true);
    }
    expect(inf.sigma).toBeNaN();
    expect(inf.tCritical).toBeNaN();
    expect(inf.rSquared).toBe(1);
    expect(inf.adjRSquared).toBeNaN();
    expect(inf.fStatistic).toBeNaN();
    expect(inf.logLik).toBe(Number.POSITIVE_INFINITY);
  });

  it('an exact fit with residual df > 0 gives σ = 0, t = ±∞, p = 0, degenerate CI, F = ∞', () => {
    const problem: ReferenceProblem = {
      x: [[1], [2], [3], [4], [5]],
      y: [1, 3, 5, 7, 9],
      intercept: true,
    };
    const { inf } = infer(problem);
    expect(Array.from(inf.estimate)).toEqual([-1, 2]);
    expect(inf.sigma).toBe(0);
    expect(Array.from(inf.stdError)).toEqual([0, 0]);
    expect(Array.from(inf.tValue)).toEqual([Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY]);
    expect(Array.from(inf.pValue)).toEqual([0, 0]);
    expect(Array.from(inf.ciLow)).toEqual([-1, 2]);
    expect(Array.from(inf.ciHigh)).toEqual([-1, 2]);
    expect(inf.fStatistic).toBe(Number.POSITIVE_INFINITY);
    expect(inf.fPValue).toBe(0);
    expect(inf.logLik).toBe(Number.POSITIVE_INFINITY);
    expect(inf.aic).toBe(Number.NEGATIVE_INFINITY);
  });

  it('aliased columns under drop: NaN everywhere, F on rank − 1 df (the DESIGN toy set with noise)', () => {
    // x2 = x1 + 1 on every row: R's lm drops x2 and fits y ~ 1 + x1.
    const { problem, reduced, small, solution } = droppedAliasFit();
    const factor = referenceFactor(problem);
    const inf = computeInference(factor, solution);
    const ref = computeInference(referenceFactor(reduced), small);
    for (const key of ['estimate', 'stdError', 'tValue', 'pValue', 'ciLow', 'ciHigh'] as const) {
      expect(inf[key][2], key).toBeNaN();
      expect(Array.from(inf[key].subarray(0, 2)), key).toEqual(Array.from(ref[key]));
    }
    expect(inf.fDf1).toBe(1);
    expect(inf.fStatistic).toBe(ref.fStatistic);
    expect(inf.rSquared).toBe(ref.rSquared);
    expect(inf.logLik).toBe(ref.logLik);

    // Under min-norm the estimate is kept, the inference of the aliased column is still NaN.
    const minNorm = computeInference(factor, {
      ...solution,
      aliasedPolicy: 'min-norm',
      coefficients: Float64Array.of(0.1, 1, 1),
    });
    expect(minNorm.estimate[2]).toBe(1);
    expect(minNorm.stdError[2]).toBeNaN();
    expect(minNorm.pValue[2]).toBeNaN();
  });
});

describe('computeInference under ridge', () => {
  it('SE from the sandwich, σ² = RSS/(n − tr H), F on tr H − 1 df, flagged approximate', () => {
    // Exact ridge with the intercept unpenalized: A = G + λD, D = diag(0, 1, 1).
    const problem = references[1].problem;
    const lambda = Rational.of(2.5);
    const plain = exactFit(problem);
    const m = plain.m;
    const xs = problem.x.map((r) => [Rational.one, ...r.map(Rational.of)]);
    const gram = Array.from({ length: m }, (_, j) =>
      Array.from({ length: m }, (_, k) =>
        xs.reduce((acc, r) => acc.add(r[j].mul(r[k])), Rational.zero),
      ),
    );
    const penalized = gram.map((row, j) =>
      row.map((v, k) => (j === k && j > 0 ? v.add(lambda) : v)),
    );
    const xty = gram.map((_, j) =>
      xs.reduce((acc, r, i) => acc.add(r[j].mul(Rational.of(problem.y[i]))), Rational.zero),
    );
    const beta = solveExact(
      penalized,
      xty.map((v) => [v]),
    ).map((r) => r[0]);
    const ainvG = solveExact(penalized, gram); // A⁻¹G
    let edf = Rational.zero;
    for (let j = 0; j < m; j++) edf = edf.add(ainvG[j][j]);
    // Sandwich S = A⁻¹ G A⁻¹ = (A⁻¹G) A⁻¹; A⁻¹ from solving A X = I.
    const identity = gram.map((_, i) =>
      gram.map((__, k) => (i === k ? Rational.one : Rational.zero)),
    );
    const ainv = solveExact(penalized, identity);
    const sandwich = ainvG.map((row) =>
      ainv[0].map((_, k) => row.reduce((acc, v, l) => acc.add(v.mul(ainv[l][k])), Rational.zero)),
    );
    let rss = Rational.zero;
    xs.forEach((r, i) => {
      const res = r.reduce((acc, v, j) => acc.sub(v.mul(beta[j])), Rational.of(problem.y[i]));
      rss = rss.add(res.mul(res));
    });
    const n = problem.y.length;
    const solution: Solution = {
      ...referenceSolution(problem),
      coefficients: Float64Array.from(beta, (b) => b.toNumber()),
      lambda: 2.5,
      rss: rss.toNumber(),
      covUnscaled: Float64Array.from(sandwich.flat(), (v) => v.toNumber()),
      modelDf: edf.toNumber(),
      residualDf: n - edf.toNumber(),
    };
    const inf = computeInference(referenceFactor(problem), solution);
    const s2 = rss.toNumber() / (n - edf.toNumber());
    for (let j = 0; j < m; j++) {
      expectClose(inf.stdError[j], Math.sqrt(s2 * sandwich[j][j].toNumber()), 8 * EPS, `SE[${j}]`);
      expect(inf.pValue[j]).toBeGreaterThan(0);
      expect(inf.pValue[j]).toBeLessThan(1);
    }
    expect(inf.approximate).toBe(true);
    expect(Number.isInteger(inf.residualDf)).toBe(false);
    expect(edf.toNumber()).toBeLessThan(m);
    expectClose(inf.fDf1, edf.toNumber() - 1, 4 * EPS, 'F df1');
    expect(inf.fPValue).toBeGreaterThan(0);
    expectClose(inf.logLikDf, edf.toNumber() + 1, 4 * EPS, 'logLik df');
    // Shrinkage: the penalized slopes are smaller than the OLS ones in norm.
    const ols = plain.beta.map((b) => b.toNumber());
    const norm = (v: ArrayLike<number>) => Math.hypot(v[1], v[2], v[3]);
    expect(norm(inf.estimate)).toBeLessThan(norm(ols));
  });
});
