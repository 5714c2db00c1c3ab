/**
 * Lanczos with full reorthogonalization (linalg/lanczos.ts) against closed
 * forms: the tridiagonal (−1, 2, −1), a clustered spectrum on which power
 * iteration stalls, and the condition numbers of a design whose singular
 * values are chosen (X = H₁·diag(σ)·H₂ with Householder reflectors).
 */
import { describe, expect, it } from 'vitest';
import { jacobiSvd } from '../../../../packages/core/src/numerics/linalg/index.js';
import {
  largestEigenpair,
  largestOfTridiagonal,
} from '../../../../packages/core/src/numerics/linalg/lanczos.js';
import { createRandom, nextGaussian } from '../../../../packages/core/src/numerics/sgd/index.js';
import { solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { factorOf } from '../../support/factor-of.js';

const relative = (a: number, b: number): number => Math.abs(a - b) / Math.abs(b);

/** A unit vector of n Gaussians. */
function unit(n: number, seed: number): Float64Array {
  const rng = createRandom(seed);
  const u = Float64Array.from({ length: n }, () => nextGaussian(rng));
  const norm = Math.hypot(...u);
  return u.map((x) => x / norm);
}

/** out = (I − 2uuᵀ)v. */
function reflect(u: Float64Array, v: Float64Array, out: Float64Array): void {
  let d = 0;
  for (let i = 0; i < u.length; i++) d += (u[i] as number) * (v[i] as number);
  for (let i = 0; i < u.length; i++) out[i] = (v[i] as number) - 2 * d * (u[i] as number);
}

describe('largestOfTridiagonal', () => {
  it.each([1, 2, 7, 50, 400])('n = %i: λ_max of tridiag(−1, 2, −1) is 2 + 2cos(π/(n+1))', (n) => {
    const { value, vector } = largestOfTridiagonal(
      Array.from({ length: n }, () => 2),
      Array.from({ length: n - 1 }, () => -1),
    );
    expect(relative(value, 2 + 2 * Math.cos(Math.PI / (n + 1)))).toBeLessThan(4e-16);
    // Its eigenvector: (−1)^i sin((i + 1)π/(n + 1)), up to sign and length.
    const exact = Float64Array.from(
      { length: n },
      (_, i) => (-1) ** i * Math.sin(((i + 1) * Math.PI) / (n + 1)),
    );
    const norm = Math.hypot(...exact);
    let dot = 0;
    for (let i = 0; i < n; i++) dot += (vector[i] as number) * ((exact[i] as number) / norm);
    expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-12);
  });
});

describe('largestEigenpair', () => {
  it('resolves a clustered spectrum that power iteration cannot (λ_i = 1 + i·10⁻⁴, m = 300)', () => {
    const m = 300;
    const lambda = Float64Array.from({ length: m }, (_, i) => 1 + i * 1e-4);
    const u = unit(m, 11);
    const t = new Float64Array(m);
    let applies = 0;
    // B = H·diag(λ)·H, H = I − 2uuᵀ: the eigenvector of λ_max is H·e_{m−1}.
    const apply = (v: Float64Array, out: Float64Array): void => {
      applies += 1;
      reflect(u, v, t);
      for (let i = 0; i < m; i++) t[i] = (t[i] as number) * (lambda[i] as number);
      reflect(u, t, out);
    };
    const { value, vector } = largestEigenpair(apply, m, true);
    expect(relative(value, lambda[m - 1] as number)).toBeLessThan(1e-14);
    expect(applies).toBeLessThan(m);
    const e = new Float64Array(m);
    e[m - 1] = 1;
    const top = new Float64Array(m);
    reflect(u, e, top);
    let dot = 0;
    for (let i = 0; i < m; i++) dot += (vector[i] as number) * (top[i] as number);
    // The eigenvector to the gap's precision (10⁻⁴ apart).
    expect(Math.abs(Math.abs(dot) - 1)).toBeLessThan(1e-8);
    // 500 power steps from the same start stay far off: ‖Bv‖ for unit v, in the same basis.
    let v = new Float64Array(m).map((_, i) => 1 + 0.5 * Math.sin(i + 1));
    let power = 0;
    for (let step = 0; step < 500; step++) {
      const next = new Float64Array(m);
      apply(v, next);
      const n = Math.hypot(...next);
      power = n / Math.hypot(...v);
      v = next.map((x) => x / n);
    }
    expect(relative(power, lambda[m - 1] as number)).toBeGreaterThan(1e-6);
  });

  it('is exact for a map of rank one and for m = 1', () => {
    const u = unit(40, 5);
    const rankOne = (v: Float64Array, out: Float64Array): void => {
      let d = 0;
      for (let i = 0; i < 40; i++) d += (u[i] as number) * (v[i] as number);
      for (let i = 0; i < 40; i++) out[i] = 3 * d * (u[i] as number);
    };
    expect(relative(largestEigenpair(rankOne, 40).value, 3)).toBeLessThan(1e-15);
    expect(largestEigenpair((v, out) => out.set([2.5 * (v[0] as number)]), 1).value).toBe(2.5);
  });
});

describe('condition numbers of a wide design with chosen singular values', () => {
  // X (n × m) = H₁[:, :m]·diag(σ)·H₂, σ_j = 1 + j·10⁻⁴: κ = σ_max/σ_min exactly.
  const n = 240;
  const m = 120;
  const sigma = Float64Array.from({ length: m }, (_, j) => 1 + j * 1e-4);
  const u1 = unit(n, 1);
  const u2 = unit(m, 2);
  const x = Array.from({ length: m }, () => new Float64Array(n));
  const column = new Float64Array(n);
  const row = new Float64Array(m);
  const e = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    // Column i of H₁, times σ_i, spread over the design columns by row i of H₂.
    const ei = new Float64Array(n);
    ei[i] = 1;
    reflect(u1, ei, column);
    e.fill(0);
    e[i] = 1;
    reflect(u2, e, row);
    for (let j = 0; j < m; j++) {
      const c = (sigma[i] as number) * (row[j] as number);
      const xj = x[j] as Float64Array;
      for (let r = 0; r < n; r++) xj[r] = (xj[r] as number) + c * (column[r] as number);
    }
  }
  const y = unit(n, 3);
  const factor = factorOf({ intercept: false, x, y });
  const solution = solve(factor);

  it('gives the raw κ = σ_max/σ_min to 1e-13 (power iteration: off by 1.5e-3)', () => {
    expect(
      relative(solution.conditionNumberRaw as number, (sigma[m - 1] as number) / 1),
    ).toBeLessThan(1e-13);
  });

  it("gives the scaled κ of Jacobi's SVD of the unit-norm columns to 1e-13 (power iteration: 2.3e-5)", () => {
    const k = factor.k;
    const a = new Float64Array(m * m);
    for (let j = 0; j < m; j++) {
      let ss = 0;
      for (let i = 0; i <= j; i++) ss += (factor.r[i * k + j] as number) ** 2;
      for (let i = 0; i <= j; i++) a[i * m + j] = (factor.r[i * k + j] as number) / Math.sqrt(ss);
    }
    const { s } = jacobiSvd(a, m, m, { wantV: false });
    const exact = (s[0] as number) / (s[m - 1] as number);
    expect(relative(solution.conditionNumber, exact)).toBeLessThan(1e-13);
  });
});
