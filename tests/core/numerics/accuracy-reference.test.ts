/**
 * Accuracy on NIST-StRD-like reference problems (support/reference-problems.ts),
 * against the exact least-squares solution of the float64 data computed in
 * rational arithmetic (support/rational.ts). Digits are the minimum over
 * coefficients (or SEs) of −log10 of the relative error, capped at 15.
 *
 * One pass (`qr` accumulator) must match numpy's Householder QR (issue 2):
 *
 * - Rows in one batch, original order: ≥ numpy's digits on the same rows
 *   minus 0.2.
 * - 1-row states merged left to right in a seeded shuffled order: ≥ numpy's
 *   MEDIAN over seeded row permutations minus 0.2. numpy's original-order
 *   figure is rounding luck of that one ordering for longley-like (11.91, the
 *   best of its 20 permutations; median 10.84) and filip-like (6.93; median
 *   6.72), and this shuffled order's rounding is one draw as well (see the
 *   distribution check).
 * - Over the 20 seeded row orders of SHUFFLE_SEEDS, for both batchings: the
 *   median of our digits ≥ numpy's median on the same permuted rows minus 0.2.
 * - numpy's digits are capped at 12 before comparing: beyond that both are at
 *   rounding level and which one wins is luck (numpy's own wampler2 ranges
 *   12.42–13.90 over row orders, ours 12.8–14.0).
 * - Regression guard: every figure ≥ what this code achieved (OURS) − 0.3.
 *
 * With refinement: every coefficient and every standard error ≥ 7 significant
 * digits (the project's acceptance), and in fact ≥ 12 — both for
 * refineInMemory on the one-batch factor and for ONE pass built like the
 * engine's (1-row states through their bytes, merged in shuffled order) on the
 * shuffled factor, which must also report that no further pass is needed.
 *
 * The default (`refine: 'auto'`, runRefinement as the engine's finish.ts
 * runs it, passes built like the engine's): on every reference problem and
 * the Wampler-type look-alikes, each coefficient reaches the float64 ceiling
 * wherever `refine: 'on'` does — min(on's digits, 14) − 0.3 — and at least
 * REFINE_COMPONENT_DIGITS when it refined; where the component-wise estimate
 * already meets the promise, no pass is taken and every coefficient already
 * has ≥ REFINE_COMPONENT_DIGITS digits.
 */
import { describe, expect, it } from 'vitest';
import { MAX_REFINE_PASSES } from '../../../packages/core/src/engine/exact/finish.js';
import {
  applyRefinement,
  createRefineState,
  deserializeRefineState,
  mergeRefineStates,
  needsRefinement,
  normWiseNeedsRefinement,
  type RefinePassOptions,
  type RefineState,
  refineInMemory,
  runRefinement,
  serializeRefineState,
  updateRefineState,
} from '../../../packages/core/src/numerics/refine/index.js';
import {
  createRandom,
  nextFloat64,
  shuffleInto,
} from '../../../packages/core/src/numerics/sgd/index.js';
import {
  componentRelativeErrors,
  estimatedRelativeError,
  identifiedConditionNumber,
  REFINE_COMPONENT_DIGITS,
  REFINE_TARGET_DIGITS,
  type Solution,
  solve,
} from '../../../packages/core/src/numerics/solve/index.js';
import {
  batchOf,
  digits,
  factorOf,
  factorOfShuffledRows,
  permuteRows,
  rowPermutation,
  SHUFFLE_SEEDS,
  sliceBatch,
} from '../support/factor-of.js';
import { exactLeastSquares } from '../support/rational.js';
import {
  designColumns,
  noInt1Like,
  noInt2,
  type ReferenceProblem,
  referenceProblems,
  wampler1,
  wamplerLookAlikes,
} from '../support/reference-problems.js';

/**
 * Digits of numpy 2.4.6's `np.linalg.qr` + scipy 1.17.1's `solve_triangular`:
 * on the rows in their original order (coef, se) and the median over the row
 * permutations of SHUFFLE_SEEDS (coefMedian, seMedian), measured on this
 * machine by
 * `npx tsx tests/core/support/export-problems.ts p.json && python3 tests/core/support/numpy-digits.py p.json`.
 */
const NUMPY: Record<string, { coef: number; se: number; coefMedian: number; seMedian: number }> = {
  'norris-like': { coef: 12.77, se: 14.92, coefMedian: 12.16, seMedian: 13.67 },
  'pontius-like': { coef: 12.67, se: 13.23, coefMedian: 12.18, seMedian: 13.12 },
  'noint1-like': { coef: 15, se: 15, coefMedian: 15, seMedian: 15 },
  noint2: { coef: 15, se: 15, coefMedian: 15, seMedian: 15 },
  'longley-like': { coef: 11.91, se: 12.05, coefMedian: 10.84, seMedian: 11.56 },
  'filip-like': { coef: 6.93, se: 7.68, coefMedian: 6.72, seMedian: 7.77 },
  wampler1: { coef: 9.35, se: 9.67, coefMedian: 9.56, seMedian: 9.58 },
  wampler2: { coef: 13.55, se: 13.07, coefMedian: 12.87, seMedian: 12.73 },
  wampler3: { coef: 10.47, se: 13.87, coefMedian: 10.35, seMedian: 13.71 },
  wampler4: { coef: 11.05, se: 13.78, coefMedian: 11.26, seMedian: 13.75 },
  wampler5: { coef: 11.05, se: 13.78, coefMedian: 11.26, seMedian: 13.75 },
};

/** Rounding-level noise allowed against numpy. */
const NOISE = 0.2;
/** Margin of the regression guard against OURS. */
const GUARD = 0.3;

interface Truth {
  readonly beta: number[];
  readonly se: number[];
}

function coefDigits(s: Solution, t: Truth): number {
  return Math.min(...Array.from(s.coefficients, (b, j) => digits(b, t.beta[j])));
}

/** SE digits; for exact-fit problems (true SE 0) the error is measured relative to |β*|. */
function seDigits(s: Solution, t: Truth, p: ReferenceProblem): number {
  const m = s.m;
  const sigma2 = s.rss / s.residualDf;
  return Math.min(
    ...t.se.map((se, j) => {
      const v = Math.sqrt(sigma2 * s.covUnscaled[j * m + j]);
      return digits(v, se, p.exactFit ? Math.abs(t.beta[j]) : Math.abs(se));
    }),
  );
}

/**
 * A refinement pass the way the engine runs it: one state per unit (here per
 * row), each through its bytes, merged in a seeded shuffled order.
 */
function shuffledPass(
  p: ReferenceProblem,
  s: Solution,
  seed: number,
  options: RefinePassOptions = {},
): RefineState {
  const spec = { kind: 'qr' as const, p: p.x.length, intercept: p.intercept, weighted: false };
  const n = p.y.length;
  const perm = new Uint32Array(n);
  shuffleInto(perm, n, createRandom(seed));
  let acc = createRefineState(spec, s.coefficients, options);
  for (let t = 0; t < n; t++) {
    const one = createRefineState(spec, s.coefficients, options);
    updateRefineState(one, sliceBatch(p, perm[t], 1));
    acc = mergeRefineStates(acc, deserializeRefineState(serializeRefineState(one)));
  }
  return acc;
}

/** numpy's digits capped where agreement becomes rounding luck. */
const baseline = (d: number): number => Math.min(d, 12);

/** [coefficient digits, SE digits]. */
type Pair = readonly [coef: number, se: number];

interface Measured {
  /** One batch, original row order. */
  readonly one: Pair;
  /** 1-row states merged in the order of seed 20261129. */
  readonly shuffled: Pair;
  /** Medians over SHUFFLE_SEEDS of one batch in permuted row order. */
  readonly oneMedian: Pair;
  /** Medians over SHUFFLE_SEEDS of 1-row states merged in shuffled order. */
  readonly shuffledMedian: Pair;
}

/**
 * What this code achieves (the second line per problem of this test's printed
 * table), the regression guard's reference.
 */
const OURS: Record<string, Measured> = {
  'norris-like': {
    one: [13.07, 13.92],
    shuffled: [11.85, 13.45],
    oneMedian: [12.03, 13.9],
    shuffledMedian: [11.95, 13.36],
  },
  'pontius-like': {
    one: [12.28, 13.02],
    shuffled: [12.36, 12.34],
    oneMedian: [12.5, 13.33],
    shuffledMedian: [12.36, 12.83],
  },
  'noint1-like': {
    one: [15, 15],
    shuffled: [15, 14.87],
    oneMedian: [15, 15],
    shuffledMedian: [15, 15],
  },
  noint2: { one: [15, 15], shuffled: [15, 15], oneMedian: [15, 15], shuffledMedian: [15, 15] },
  'longley-like': {
    one: [14.01, 14.28],
    shuffled: [11.05, 12.39],
    oneMedian: [13.7, 14.41],
    shuffledMedian: [11.49, 12.27],
  },
  'filip-like': {
    one: [6.85, 7.95],
    shuffled: [6.59, 7.23],
    oneMedian: [7.05, 7.75],
    shuffledMedian: [6.79, 7.38],
  },
  wampler1: {
    one: [9.44, 9.53],
    shuffled: [9.93, 9.79],
    oneMedian: [9.66, 9.51],
    shuffledMedian: [9.84, 9.92],
  },
  wampler2: {
    one: [13.15, 12.8],
    shuffled: [13.0, 13.38],
    oneMedian: [13.03, 12.77],
    shuffledMedian: [13.19, 13.32],
  },
  wampler3: {
    one: [10.59, 14.43],
    shuffled: [10.61, 13.67],
    oneMedian: [10.79, 13.55],
    shuffledMedian: [10.83, 13.63],
  },
  wampler4: {
    one: [11.49, 13.82],
    shuffled: [11.02, 13.58],
    oneMedian: [11.94, 13.59],
    shuffledMedian: [11.77, 13.68],
  },
  wampler5: {
    one: [11.49, 13.81],
    shuffled: [11.02, 13.57],
    oneMedian: [11.94, 13.59],
    shuffledMedian: [11.77, 13.68],
  },
};

/**
 * Extra allowance [coef, SE] for the 1-row-merge comparisons where the double
 * rounding of R after every merge, not the algorithm, is the limit. Merges are
 * exact to ~2⁻¹⁰⁴ and rounded once (dd-triangle-merge.ts); an mpmath
 * simulation of exact merges rounded to double after each one gives the same
 * digits, so no merge of double-stored states can do better on average.
 * filip-like SE (κ_s 5.8e9, 82 merges): ours 6.87/7.38/8.77 (min/median/max
 * over 20 orders) vs numpy's 7.09/7.77/8.45 on the same permuted rows, i.e.
 * within numpy's own spread but 0.4 lower at the median.
 */
const MERGE_LIMIT: Record<string, Pair> = { 'filip-like': [0, 0.5] };

const median = (v: readonly number[]): number => {
  const s = [...v].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
};

function pairOf(s: Solution, t: Truth, p: ReferenceProblem): Pair {
  expect(s.rank).toBe(s.m);
  return [coefDigits(s, t), seDigits(s, t, p)];
}

function medianPair(pairs: readonly Pair[]): Pair {
  return [median(pairs.map((q) => q[0])), median(pairs.map((q) => q[1]))];
}

const fmt = (q: Pair): string => `${q[0].toFixed(2).padStart(6)} ${q[1].toFixed(2).padStart(6)}`;

const rows: string[] = [];

describe('accuracy on reference problems', () => {
  for (const p of referenceProblems()) {
    it(`${p.name}: one pass matches numpy, refinement reaches >= 7 digits`, () => {
      const truth = exactLeastSquares({ design: designColumns(p), y: p.y });
      const numpy = NUMPY[p.name];

      const oneBatch = factorOf(p);
      const s1 = solve(oneBatch);
      expect(s1.status).toBe('ok');
      const shuffled = factorOfShuffledRows(p, 20261129);
      const s2 = solve(shuffled);
      const perms = SHUFFLE_SEEDS.map((seed) => rowPermutation(p.y.length, seed));
      const got: Measured = {
        one: pairOf(s1, truth, p),
        shuffled: pairOf(s2, truth, p),
        oneMedian: medianPair(
          perms.map((perm) => pairOf(solve(factorOf(permuteRows(p, perm))), truth, p)),
        ),
        shuffledMedian: medianPair(
          SHUFFLE_SEEDS.map((seed) => pairOf(solve(factorOfShuffledRows(p, seed)), truth, p)),
        ),
      };

      const r1 = refineInMemory(oneBatch, s1, [batchOf(p)]);
      const step = applyRefinement(shuffled, s2, shuffledPass(p, s2, 99));
      expect(step.improved).toBe(false);
      const r2 = step.solution;
      const refinedCoef = Math.min(coefDigits(r1, truth), coefDigits(r2, truth));
      const refinedSe = Math.min(seDigits(r1, truth, p), seDigits(r2, truth, p));
      expect(r1.refinementSteps).toBeGreaterThanOrEqual(1);
      expect(refinedCoef).toBeGreaterThanOrEqual(12);
      expect(refinedSe).toBeGreaterThanOrEqual(12);
      // RSS after refinement: the double-double residual sum, to 1e-12 relative (or ~0 for exact fits).
      const rssRef = p.exactFit ? truth.rss + 1e-20 * s1.tss : truth.rss;
      expect(Math.abs(r2.rss - truth.rss)).toBeLessThanOrEqual(1e-12 * rssRef);

      rows.push(
        `${p.name.padEnd(14)} ${s1.conditionNumber.toExponential(1).padStart(8)} ` +
          `${fmt(got.one)} ${fmt(got.shuffled)} ${fmt([numpy.coef, numpy.se])}  ` +
          `${fmt(got.oneMedian)} ${fmt(got.shuffledMedian)} ${fmt([numpy.coefMedian, numpy.seMedian])}  ` +
          `${fmt([refinedCoef, refinedSe])}`,
      );
      // For updating OURS.
      rows.push(
        `  '${p.name}': { one: [${got.one.map((v) => v.toFixed(2))}], shuffled: [${got.shuffled.map((v) => v.toFixed(2))}], ` +
          `oneMedian: [${got.oneMedian.map((v) => v.toFixed(2))}], shuffledMedian: [${got.shuffledMedian.map((v) => v.toFixed(2))}] },`,
      );
      // Against numpy: same rows, and numpy's typical (median) row order.
      for (const c of [0, 1] as const) {
        const what = c === 0 ? 'coef' : 'SE';
        const own = c === 0 ? numpy.coef : numpy.se;
        const typical = c === 0 ? numpy.coefMedian : numpy.seMedian;
        expect(got.one[c], `one batch ${what}`).toBeGreaterThanOrEqual(baseline(own) - NOISE);
        const limit = MERGE_LIMIT[p.name]?.[c] ?? 0;
        expect(got.shuffled[c], `shuffled ${what}`).toBeGreaterThanOrEqual(
          baseline(Math.min(own, typical)) - NOISE - limit,
        );
        expect(got.oneMedian[c], `one batch median ${what}`).toBeGreaterThanOrEqual(
          baseline(typical) - NOISE,
        );
        expect(got.shuffledMedian[c], `shuffled median ${what}`).toBeGreaterThanOrEqual(
          baseline(typical) - NOISE - limit,
        );
      }
      // Regression guard.
      const ours = OURS[p.name] as Measured;
      for (const key of ['one', 'shuffled', 'oneMedian', 'shuffledMedian'] as const) {
        for (const c of [0, 1] as const) {
          expect(got[key][c], `${key} ${c === 0 ? 'coef' : 'SE'}`).toBeGreaterThanOrEqual(
            ours[key][c] - GUARD,
          );
        }
      }
    });
  }

  it('prints the digits table', () => {
    console.log(
      [
        '                           rows in their original order /        medians over 20 row orders',
        '                         one batch     1-row merges      numpy  one batch   1-row merges     numpy    refined',
        'problem        kappa_s   coef     SE   coef     SE   coef     SE   coef     SE   coef     SE   coef     SE   coef     SE',
        ...rows,
      ].join('\n'),
    );
    expect(rows.length).toBe(2 * referenceProblems().length);
  });
});

/** Per-coefficient digits against the exact answer. */
const digitsEach = (s: Solution, t: Truth): number[] =>
  Array.from(s.coefficients, (b, j) => digits(b, t.beta[j] as number));

/** A well-conditioned problem (κ_s ≈ 2): 400 rows, 4 features, coefficients of one magnitude. */
function wellConditioned(): ReferenceProblem {
  const rng = createRandom(20261207);
  const n = 400;
  const x = Array.from({ length: 4 }, () =>
    Float64Array.from({ length: n }, () => nextFloat64(rng)),
  );
  const y = Float64Array.from({ length: n }, (_, i) =>
    decimalOf(
      1 + 2 * x[0][i] - 3 * x[1][i] + 1.5 * x[2][i] + 2.5 * x[3][i] + nextFloat64(rng) - 0.5,
    ),
  );
  return { name: 'well-conditioned', intercept: true, x, y, exactFit: false };
}

const decimalOf = (v: number): number => Number(v.toFixed(6));

const autoRows: string[] = [];

describe('refine auto: component-wise, every coefficient to the float64 ceiling', () => {
  const ceiling = 14;
  for (const p of [...referenceProblems(), ...wamplerLookAlikes(), wellConditioned()]) {
    it(`${p.name}: the default reaches what refine on reaches, coefficient by coefficient`, async () => {
      const truth = exactLeastSquares({ design: designColumns(p), y: p.y });
      const f = factorOfShuffledRows(p, 20261129);
      const s = solve(f);
      const grams: boolean[] = [];
      const pass = (beta: Float64Array, options: RefinePassOptions): RefineState => {
        const state = shuffledPass(p, { ...s, coefficients: beta }, 99, options);
        grams.push(state.gram);
        return state;
      };
      const on = await runRefinement(f, s, 'on', pass, MAX_REFINE_PASSES);
      const auto = await runRefinement(f, s, 'auto', pass, MAX_REFINE_PASSES);
      const onDigits = digitsEach(on.solution, truth);
      const autoDigits = digitsEach(auto.solution, truth);
      expect(on.passes).toBeGreaterThanOrEqual(1);
      autoDigits.forEach((d, j) => {
        expect(d, `coefficient ${j}`).toBeGreaterThanOrEqual(
          Math.min(onDigits[j] as number, ceiling) - 0.3,
        );
        expect(d, `coefficient ${j}`).toBeGreaterThanOrEqual(REFINE_COMPONENT_DIGITS);
      });
      const oneDigits = digitsEach(s, truth);
      autoRows.push(
        `${p.name.padEnd(22)} ${Math.min(...oneDigits)
          .toFixed(2)
          .padStart(6)} ` +
          `${Math.min(...autoDigits)
            .toFixed(2)
            .padStart(6)} ${String(auto.passes).padStart(3)} ` +
          `${Math.min(...onDigits)
            .toFixed(2)
            .padStart(6)} ${String(on.passes).padStart(3)}`,
      );
      if (auto.passes === 0) {
        // No pass: the estimate met the promise, and so did every coefficient.
        expect(needsRefinement(f, s)).toBe(false);
        for (const d of oneDigits) expect(d).toBeGreaterThanOrEqual(REFINE_COMPONENT_DIGITS);
        expect(auto.solution).toBe(s);
      } else {
        expect(auto.solution.refinementSteps).toBe(auto.passes);
        // The Gram (standard errors) only when the norm-wise estimate asks; coefficients need only g.
        for (const gram of grams.slice(on.passes)) {
          expect(gram).toBe(normWiseNeedsRefinement(f, s));
        }
      }
      // The estimate is an upper bound of each coefficient's one-pass error.
      const kappa = identifiedConditionNumber(f, s.conditionNumber, s.aliased);
      const estimate = componentRelativeErrors(f, s, kappa);
      oneDigits.forEach((d, j) => {
        if (d < 15)
          expect(d, `coefficient ${j}`).toBeGreaterThanOrEqual(-Math.log10(estimate[j] as number));
      });
    });
  }

  it('prints the default-refinement table', () => {
    console.log(
      [
        'min digits over coefficients, 1-row merges: problem, one pass, auto (passes), on (passes)',
        ...autoRows,
      ].join('\n'),
    );
    expect(autoRows.length).toBe(referenceProblems().length + wamplerLookAlikes().length + 1);
  });

  it('takes no pass where the estimates meet the promise', async () => {
    for (const p of [noInt1Like(), noInt2(), wellConditioned()]) {
      const f = factorOfShuffledRows(p, 20261129);
      const s = solve(f);
      const run = await runRefinement(
        f,
        s,
        'auto',
        () => {
          throw new Error('no pass expected');
        },
        MAX_REFINE_PASSES,
      );
      expect(run.passes, p.name).toBe(0);
    }
  });

  it('wampler1: the norm-wise estimate alone would leave its smallest coefficient at 10 digits', () => {
    const p = wampler1();
    const truth = exactLeastSquares({ design: designColumns(p), y: p.y });
    const f = factorOfShuffledRows(p, 20261129);
    const s = solve(f);
    const kappa = identifiedConditionNumber(f, s.conditionNumber, s.aliased);
    expect(estimatedRelativeError(f, kappa, s.rss)).toBeLessThan(10 ** -REFINE_TARGET_DIGITS);
    expect(Math.min(...digitsEach(s, truth))).toBeLessThan(10.5);
    expect(needsRefinement(f, s)).toBe(true);
  });
});
