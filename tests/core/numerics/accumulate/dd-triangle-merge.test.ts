/**
 * The double-double merge of two TSQR triangles (dd-triangle-merge.ts) and the
 * double-double back substitution (back-substitution.ts solveUpperAccurate).
 */
import { describe, expect, it } from 'vitest';
import {
  annihilateBlock,
  mergeTrianglesDd,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  solveUpper,
  solveUpperAccurate,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { q, qDiv, qMul, qSub, qToNumber } from '../../support/rational.js';
import { seededRandom } from './accumulator-reference.js';

/** R (k x k row-major) of the n x k column-major block `a` (not modified). */
function rOf(a: Float64Array, n: number, k: number): Float64Array {
  const r = new Float64Array(k * k);
  annihilateBlock(r, k, a.slice(), n, n, false);
  return r;
}

function randomBlock(n: number, k: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: n * k }, () => rnd() * 2 - 1);
}

/** [a; b] column-major from two column-major blocks with na and nb rows. */
function stack(a: Float64Array, na: number, b: Float64Array, nb: number, k: number): Float64Array {
  const s = new Float64Array((na + nb) * k);
  for (let c = 0; c < k; c++) {
    s.set(a.subarray(c * na, (c + 1) * na), c * (na + nb));
    s.set(b.subarray(c * nb, (c + 1) * nb), c * (na + nb) + na);
  }
  return s;
}

/** max over upper entries of |x − y| / ‖column j of y‖. */
function columnwiseDifference(x: Float64Array, y: Float64Array, k: number): number {
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let norm2 = 0;
    for (let i = 0; i <= j; i++) norm2 += y[i * k + j] ** 2;
    const norm = Math.sqrt(norm2) || 1;
    for (let i = 0; i <= j; i++)
      worst = Math.max(worst, Math.abs(x[i * k + j] - y[i * k + j]) / norm);
  }
  return worst;
}

describe('mergeTrianglesDd', () => {
  it('gives the R of the stacked rows (non-negative diagonal), R_b untouched', () => {
    for (const [na, nb, k] of [
      [5, 3, 1],
      [9, 1, 2],
      [40, 25, 5],
      [3, 50, 8],
      [200, 130, 13],
    ] as const) {
      const a = randomBlock(na, k, 10 * k + na);
      const b = randomBlock(nb, k, 10 * k + nb + 5000);
      const ra = rOf(a, na, k);
      const rb = rOf(b, nb, k);
      const rbCopy = rb.slice();
      mergeTrianglesDd(ra, rb, k);
      const whole = rOf(stack(a, na, b, nb, k), na + nb, k);
      const label = `na=${na} nb=${nb} k=${k}`;
      expect(columnwiseDifference(ra, whole, k), label).toBeLessThanOrEqual(1e-14);
      expect(Array.from(rb), label).toEqual(Array.from(rbCopy));
      for (let j = 0; j < k; j++) {
        expect(ra[j * k + j], label).toBeGreaterThanOrEqual(0);
        for (let i = j + 1; i < k; i++) expect(ra[i * k + j], label).toBe(0);
      }
    }
  });

  it('commutes exactly with power-of-two column scaling, down to 2^-900 and up to 2^900', () => {
    const k = 6;
    const a = randomBlock(20, k, 1);
    const b = randomBlock(2, k, 2);
    const ra = rOf(a, 20, k);
    const rb = rOf(b, 2, k);
    const exps = [0, -900, 900, -300, 450, 7];
    const scale = (r: Float64Array): Float64Array =>
      r.map((v, idx) => v * 2 ** (exps[idx % k] as number));
    const plain = ra.slice();
    mergeTrianglesDd(plain, rb, k);
    const scaled = scale(ra);
    mergeTrianglesDd(scaled, scale(rb), k);
    expect(Array.from(scaled)).toEqual(Array.from(scale(plain)));
  });

  it('folds a 1-row state (only its first row nonzero) like annihilating that row', () => {
    const k = 9;
    const a = randomBlock(30, k, 3);
    const row = randomBlock(1, k, 4);
    const ra = rOf(a, 30, k);
    const rb = rOf(row, 1, k);
    for (let i = 1; i < k; i++) for (let c = 0; c < k; c++) expect(rb[i * k + c]).toBe(0);
    mergeTrianglesDd(ra, rb, k);
    const whole = rOf(stack(a, 30, row, 1, k), 31, k);
    expect(columnwiseDifference(ra, whole, k)).toBeLessThanOrEqual(1e-15);
  });

  it('leaves R_a unchanged when R_b is zero, and copies R_b (up to rounding) into a zero R_a', () => {
    const k = 4;
    const ra = rOf(randomBlock(10, k, 5), 10, k);
    const before = ra.slice();
    mergeTrianglesDd(ra, new Float64Array(k * k), k);
    expect(Array.from(ra)).toEqual(Array.from(before));
    const zero = new Float64Array(k * k);
    mergeTrianglesDd(zero, before, k);
    expect(columnwiseDifference(zero, before, k)).toBeLessThanOrEqual(1e-15);
  });

  it('propagates NaN and infinite entries into R instead of hiding them', () => {
    const k = 4;
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const ra = rOf(randomBlock(10, k, 8), 10, k);
      const rb = rOf(randomBlock(10, k, 9), 10, k);
      rb[0 * k + 2] = bad;
      mergeTrianglesDd(ra, rb, k);
      const column2 = [0, 1, 2].map((i) => ra[i * k + 2] as number);
      expect(
        column2.some((v) => !Number.isFinite(v)),
        String(bad),
      ).toBe(true);
    }
  });

  it('flips a negative diagonal entry with nothing below it to keep the diagonal non-negative', () => {
    const k = 3;
    // R_a row 1 has a negative diagonal; R_b only touches column 0.
    const ra = Float64Array.of(2, 1, 1, 0, -3, 4, 0, 0, 5);
    const rb = Float64Array.of(1, 0, 0, 0, 0, 0, 0, 0, 0);
    mergeTrianglesDd(ra, rb, k);
    for (let j = 0; j < k; j++) expect(ra[j * k + j]).toBeGreaterThanOrEqual(0);
    // RᵀR is preserved: column 1's norm² = 1 + 9 (+ 0 from R_b).
    expect(ra[1] ** 2 + ra[4] ** 2).toBeCloseTo(10, 13);
  });
});

describe('solveUpperAccurate', () => {
  it('returns the exact solution of the stored system to about one rounding, where plain back substitution loses digits', () => {
    const n = 10;
    const rnd = seededRandom(77);
    const t = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      t[i * n + i] = 0.5 + rnd();
      for (let j = i + 1; j < n; j++) t[i * n + j] = 2 * rnd() - 1;
    }
    // b ≈ T x₀ with x₀ = 1e-6 in even places: those x_i come out of a 6-digit cancellation.
    const b = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = i; j < n; j++) s += (t[i * n + j] as number) * (j % 2 === 0 ? 1e-6 : 1);
      b[i] = s;
    }
    // Exact back substitution in rationals.
    const x = new Array(n);
    for (let i = n - 1; i >= 0; i--) {
      let s = q(b[i] as number);
      for (let j = i + 1; j < n; j++) s = qSub(s, qMul(q(t[i * n + j] as number), x[j]));
      x[i] = qDiv(s, q(t[i * n + i] as number));
    }
    const exact = x.map(qToNumber);
    const accurate = b.slice();
    solveUpperAccurate(t, n, n, accurate);
    const plain = b.slice();
    solveUpper(t, n, n, plain);
    let worstAccurate = 0;
    let worstPlain = 0;
    for (let i = 0; i < n; i++) {
      const e = exact[i] as number;
      worstAccurate = Math.max(worstAccurate, Math.abs((accurate[i] as number) - e) / Math.abs(e));
      worstPlain = Math.max(worstPlain, Math.abs((plain[i] as number) - e) / Math.abs(e));
    }
    expect(worstAccurate).toBeLessThanOrEqual(2 ** -52);
    expect(worstPlain).toBeGreaterThan(1e-12);
  });
});
