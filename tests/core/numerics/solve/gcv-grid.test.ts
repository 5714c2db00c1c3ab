/**
 * `ridge: 'auto'` on unstandardized data with one large-scale column (a
 * Boston-`tax`-like feature): the grid comes from the spectrum, so it
 * reaches below the GCV minimum, and the minimum is polished. The truth is
 * GCV(λ) computed exactly — RSS from the exact rational ridge solution, df as
 * the exact trace tr((XᵀX + λD)⁻¹XᵀX) — on a fine grid around the answer.
 * Also: warnings at the grid's edges, a caller's grid searched as given, and
 * golden-section search itself.
 */
import { describe, expect, it } from 'vitest';
import { createRandom, nextGaussian } from '../../../../packages/core/src/numerics/sgd/index.js';
import { goldenSectionMinimum } from '../../../../packages/core/src/numerics/solve/golden-section.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { type Data, factorOf } from '../../support/factor-of.js';
import {
  exactLeastSquares,
  type Q,
  q,
  qAdd,
  qInt,
  qMul,
  qToNumber,
  solveExact,
} from '../../support/rational.js';

/** 50 rows: x1, x2 = 1e4-scale around 3e5, x3 correlated with x1; y with unit noise. */
function lookAlike(seed = 20240607): Data {
  const rng = createRandom(seed);
  const n = 50;
  const g = () => Float64Array.from({ length: n }, () => nextGaussian(rng));
  const x1 = g();
  const x2 = g().map((v) => 3e5 + 1e4 * v);
  const x3 = g().map((v, i) => (x1[i] as number) + 0.5 * v);
  const e = g();
  const y = Float64Array.from(
    { length: n },
    (_, i) =>
      1 +
      0.3 * (x1[i] as number) +
      2e-5 * (x2[i] as number) +
      0.2 * (x3[i] as number) +
      (e[i] as number),
  );
  return { intercept: true, x: [x1, x2, x3], y };
}

/** GCV(λ) of the unstandardized ridge fit, exact but for the final rounding. */
function exactGcv(d: Data, lambda: number): number {
  const n = d.y.length;
  const cols = [new Float64Array(n).fill(1), ...d.x];
  const m = cols.length;
  const rss = exactLeastSquares({
    design: cols,
    y: d.y,
    ridge: { lambda, standardize: false, intercept: true },
  }).rss;
  const g: Q[][] = cols.map((a) =>
    cols.map((b) => {
      let s = qInt(0n);
      for (let i = 0; i < n; i++) s = qAdd(s, qMul(q(a[i] as number), q(b[i] as number)));
      return s;
    }),
  );
  const h = g.map((row, i) => row.map((v, j) => (i === j && i > 0 ? qAdd(v, q(lambda)) : v)));
  const { num, den } = solveExact(h, g);
  let trace = qInt(0n);
  for (let j = 0; j < m; j++) trace = qAdd(trace, qInt(num[j]?.[j] as bigint, den));
  const df = qToNumber(trace);
  return (n * rss) / (n - df) ** 2;
}

describe('GCV grid from the spectrum, polished', () => {
  it('finds the exact GCV minimum that a grid starting at 1e-6·σ₁² misses', () => {
    const d = lookAlike();
    const s = solve(factorOf(d), { ridge: 'auto' });
    const gcv = s.gcv;
    if (gcv === undefined) throw new Error('no GCV curve');
    const chosen = gcv.chosen;
    // σ₁² is the grid's top / 1e4; the old grid started at 1e-6·σ₁².
    const oldStart = 1e-6 * ((gcv.lambdas[gcv.lambdas.length - 1] as number) / 1e4);
    expect(oldStart).toBeGreaterThan(100 * chosen);
    expect(gcv.lambdas[0]).toBeLessThan(chosen / 100);
    // A fine grid of exact GCV values, ±2% around the answer in 0.1% steps.
    const fine = Array.from({ length: 41 }, (_, t) => chosen * 1.001 ** (t - 20));
    const exact = fine.map((l) => exactGcv(d, l));
    const best = exact.indexOf(Math.min(...exact));
    // The exact minimum is inside the fine grid (not at its ends) and next to our λ.
    expect(best).toBeGreaterThan(0);
    expect(best).toBeLessThan(40);
    expect(Math.abs(best - 20)).toBeLessThanOrEqual(1);
    expect(exactGcv(d, chosen)).toBeLessThanOrEqual((exact[best] as number) * (1 + 1e-12));
    expect(s.warnings.filter((w) => w.includes('GCV'))).toEqual([]);
    console.log(
      `look-alike: lambda ${chosen.toPrecision(6)}, GCV ${exactGcv(d, chosen).toPrecision(10)}; ` +
        `the old grid's lowest point ${oldStart.toPrecision(4)} has GCV ${exactGcv(d, oldStart).toPrecision(10)}`,
    );
  });

  it('warns at the lower end when least squares is GCV-best, and at the upper end when nothing is', () => {
    const d = lookAlike();
    // Almost no noise: every penalty only adds misfit.
    const exactish = {
      ...d,
      y: d.y.map((_, i) => 1 + 2 * (d.x[0]?.[i] as number) + 1e-9 * Math.sin(i)),
    };
    const low = solve(factorOf(exactish), { ridge: 'auto' });
    expect(low.gcv?.chosen).toBe(low.gcv?.lambdas[0]);
    expect(low.warnings.join('\n')).toMatch(/lower end of its grid.*essentially least squares/);
    // y orthogonal to every feature: the penalty only buys degrees of freedom.
    const n = d.y.length;
    const sign = Float64Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const flat: Data = {
      intercept: true,
      x: [Float64Array.from({ length: n }, (_, i) => Math.floor(i / 2))],
      y: sign,
    };
    const high = solve(factorOf(flat), { ridge: 'auto' });
    expect(high.warnings.join('\n')).toMatch(/upper end of its grid.*intercept-only/);
  });

  it('searches a caller grid as given, and says when its edge is the best', () => {
    const d = lookAlike();
    const s = solve(factorOf(d), { ridge: 'auto', gcvGrid: { min: 1e4, max: 1e8, count: 5 } });
    expect(s.gcv?.chosen).toBe(1e4);
    expect(s.warnings.join('\n')).toMatch(
      /GCV chose lambda = 1\.000e\+4 at the lower end of its grid \(1\.000e\+4 to 1\.000e\+8\)/,
    );
  });
});

describe('golden-section search', () => {
  it('finds the minimum of a unimodal function, and never returns worse than an end', () => {
    const f = (x: number) => (x - 0.3) ** 2 + 1;
    const best = goldenSectionMinimum(f, 0, 1, 1e-10);
    // f is flat to (x − 0.3)², below ε·f for |x − 0.3| < √ε: that is the resolution.
    expect(Math.abs(best.x - 0.3)).toBeLessThan(3e-8);
    expect(best.value).toBe(f(best.x));
    const edge = goldenSectionMinimum((x) => x, 2, 5, 1e-12);
    expect(edge.x).toBe(2);
  });
});
