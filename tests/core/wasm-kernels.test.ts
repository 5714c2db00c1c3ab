import { afterEach, describe, expect, it } from 'vitest';
import { paddedColumns, syrkUpperAdd } from '../../packages/core/src/numerics/blas.js';
import { updateQrState } from '../../packages/core/src/numerics/qr-accumulator.js';
import { annihilateBlock, mergeTriangles } from '../../packages/core/src/numerics/tsqr.js';
import {
  WasmKernelUnavailableError,
  wasmAddCenteredGram,
  wasmAnnihilateBlock,
  wasmKernelsAvailable,
  wasmMergeTriangles,
  wasmSyrkUpperAdd,
  wasmUpdateQr,
} from '../../packages/core/src/numerics/wasm/index.js';
import { seededRandom } from './accumulator-reference.js';

/** Agreement of the two paths: a few hundred ε of the column scale (backward-stable QR). */
const TOL = 1e-13;

function randomColumns(n: number, q: number, seed: number): Float64Array[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: q }, () => Float64Array.from({ length: n }, () => rnd() * 2 - 1));
}

function positiveWeights(n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: n }, () => 0.1 + 2 * rnd());
}

/** max over entries of |a − b| / ‖column j of b‖ (k x k row-major, upper triangle). */
function columnwiseDifference(a: Float64Array, b: Float64Array, k: number): number {
  let worst = 0;
  for (let j = 0; j < k; j++) {
    let norm2 = 0;
    for (let i = 0; i <= j; i++) norm2 += b[i * k + j] ** 2;
    const norm = Math.sqrt(norm2) || 1;
    for (let i = 0; i <= j; i++)
      worst = Math.max(worst, Math.abs(a[i * k + j] - b[i * k + j]) / norm);
  }
  return worst;
}

function sameBits(a: Float64Array, b: Float64Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

const savedEnv = process.env.LINREG_KERNELS;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.LINREG_KERNELS;
  else process.env.LINREG_KERNELS = savedEnv;
});

describe('wasm SIMD kernels', () => {
  it('are available on this engine (Node 20 has f64x2 SIMD)', () => {
    delete process.env.LINREG_KERNELS;
    expect(wasmKernelsAvailable()).toBe(true);
  });

  it('wasmUpdateQr gives the R of the JS path to rounding, for k = 1 … 103 and odd row counts', () => {
    delete process.env.LINREG_KERNELS;
    const cases: [n: number, p: number][] = [
      [5, 0],
      [1, 1],
      [77, 2],
      [129, 3],
      [300, 5],
      [513, 6],
      [257, 13],
      [1001, 32],
      [700, 101],
    ];
    for (const [n, p] of cases) {
      for (const intercept of [true, false]) {
        for (const weighted of [false, true]) {
          const cols = randomColumns(n, p + 1, 31 * n + p);
          const w = weighted ? positiveWeights(n, n + 7) : undefined;
          const k = p + 1 + (intercept ? 1 : 0);
          const rJs = new Float64Array(k * k);
          const rWasm = new Float64Array(k * k);
          // Two batches, so the second one folds into a nonzero R.
          for (const [from, to] of [
            [0, n >> 1],
            [n >> 1, n],
          ] as const) {
            const part = cols.map((c) => c.subarray(from, to));
            const pw = w?.subarray(from, to);
            updateQrState({ kind: 'qr', p, intercept, weighted }, rJs, part, to - from, pw);
            wasmUpdateQr(rWasm, k, part, to - from, pw, intercept);
          }
          const label = `n=${n} p=${p} intercept=${intercept} weighted=${weighted}`;
          expect(columnwiseDifference(rWasm, rJs, k), label).toBeLessThanOrEqual(TOL);
          for (let j = 0; j < k; j++) expect(rWasm[j * k + j], label).toBeGreaterThanOrEqual(0);
        }
      }
    }
  });

  it('wasmAnnihilateBlock folds more than one 128-row block as the JS kernel folds them at once', () => {
    for (const [rows, k] of [
      [129, 7],
      [300, 13],
      [1000, 4],
    ] as const) {
      const ld = rows + 1;
      const b = new Float64Array(ld * k);
      for (const [j, c] of randomColumns(rows, k, rows + k).entries()) b.set(c, j * ld);
      const rJs = new Float64Array(k * k);
      const rWasm = new Float64Array(k * k);
      annihilateBlock(rJs, k, b.slice(), ld, rows, false);
      wasmAnnihilateBlock(rWasm, k, b, ld, rows, false);
      expect(columnwiseDifference(rWasm, rJs, k), `rows=${rows} k=${k}`).toBeLessThanOrEqual(TOL);
    }
  });

  it('handles zero, sign-flipping, tiny and huge columns like the JS reflector', () => {
    const n = 41;
    const k = 6;
    const cols = randomColumns(n, k, 99);
    (cols[1] as Float64Array).fill(0); // zero column: τ = 0 path
    (cols[2] as Float64Array).forEach((_, i, c) => {
      c[i] *= 1e-170; // σ underflows: rescaled path
    });
    (cols[3] as Float64Array).forEach((_, i, c) => {
      c[i] *= 1e200; // σ overflows: rescaled path
    });
    const rJs = new Float64Array(k * k);
    const rWasm = new Float64Array(k * k);
    // R with a negative diagonal entry and x = 0 below it exercises the τ = 2 flip.
    rJs[0] = -3;
    rWasm[0] = -3;
    const ld = n + 3;
    const b = new Float64Array(ld * k);
    for (const [j, c] of cols.entries()) b.set(c, j * ld);
    b.fill(0, 0, n); // column 0 of B is zero
    const bJs = b.slice();
    annihilateBlock(rJs, k, bJs, ld, n, false);
    wasmAnnihilateBlock(rWasm, k, b, ld, n, false);
    expect(rWasm[0]).toBe(3);
    expect(rWasm[1 * k + 1]).toBe(0);
    expect(columnwiseDifference(rWasm, rJs, k)).toBeLessThanOrEqual(TOL);
    for (let i = 0; i < k * k; i++) expect(Number.isFinite(rWasm[i])).toBe(true);
  });

  it('wasmMergeTriangles gives the merged R of the JS path to rounding', () => {
    for (const k of [1, 2, 5, 8, 11, 102, 131, 260]) {
      const n = 3 * k + 5;
      const ra = new Float64Array(k * k);
      const rb = new Float64Array(k * k);
      const k1 = k - 1;
      updateQrState(
        { kind: 'qr', p: k1, intercept: false, weighted: false },
        ra,
        randomColumns(n, k, k),
        n,
        undefined,
      );
      updateQrState(
        { kind: 'qr', p: k1, intercept: false, weighted: false },
        rb,
        randomColumns(n, k, k + 1000),
        n,
        undefined,
      );
      const rbCopy = rb.slice();
      const mJs = ra.slice();
      const mWasm = ra.slice();
      mergeTriangles(mJs, rb, k);
      wasmMergeTriangles(mWasm, rb, k);
      expect(columnwiseDifference(mWasm, mJs, k), `k=${k}`).toBeLessThanOrEqual(TOL);
      expect(sameBits(rb, rbCopy)).toBe(true);
    }
  });

  it('wasmSyrkUpperAdd adds the Gram of the JS kernel to rounding, upper triangle only', () => {
    for (const q of [1, 2, 3, 4, 5, 7, 9, 101]) {
      for (const rows of [0, 1, 7, 64, 129]) {
        const rnd = seededRandom(17 * q + rows);
        const a = new Float64Array(rows * paddedColumns(q));
        for (let i = 0; i < rows * q; i++) a[i] = rnd() * 2 - 1;
        const cJs = new Float64Array(q * q).fill(0.5);
        const cWasm = cJs.slice();
        syrkUpperAdd(rows, q, a, rows, cJs, q);
        wasmSyrkUpperAdd(rows, q, a, rows, cWasm, q);
        // Each upper entry is a sum of `rows` products of magnitude ≤ 1; the lower stays 0.5.
        let upper = 0;
        let lower = 0;
        for (let i = 0; i < q; i++) {
          for (let j = 0; j < q; j++) {
            const d = Math.abs(cWasm[i * q + j] - cJs[i * q + j]);
            if (i <= j) upper = Math.max(upper, d);
            else lower = Math.max(lower, Math.abs(cWasm[i * q + j] - 0.5));
          }
        }
        expect(upper, `q=${q} rows=${rows}`).toBeLessThanOrEqual(4 * (rows + 1) * 2 ** -52);
        expect(lower, `q=${q} rows=${rows}`).toBe(0);
      }
    }
  });

  it('wasmAddCenteredGram adds Σ w (x − x̄)(x − x̄)ᵀ as the JS block loop does', () => {
    const n = 517;
    for (const q of [1, 4, 6, 33]) {
      for (const weighted of [false, true]) {
        const cols = randomColumns(n, q, 3 * q);
        const w = weighted ? positiveWeights(n, q) : undefined;
        const hi = Float64Array.from({ length: q }, (_, c) => 0.01 * c);
        const lo = Float64Array.from({ length: q }, (_, c) => 1e-18 * c);
        // JS reference: the centered, √w-scaled block and the JS Gram kernel.
        const a = new Float64Array(n * paddedColumns(q));
        for (let c = 0; c < q; c++) {
          const x = cols[c] as Float64Array;
          for (let i = 0; i < n; i++) {
            const centered = x[i] - hi[c] - lo[c];
            a[c * n + i] = w === undefined ? centered : centered * Math.sqrt(w[i]);
          }
        }
        const cJs = new Float64Array(q * q);
        syrkUpperAdd(n, q, a, n, cJs, q);
        const cWasm = new Float64Array(q * q);
        wasmAddCenteredGram(cWasm, cols, n, w, hi, lo);
        expect(columnwiseDifference(cWasm, cJs, q), `q=${q} weighted=${weighted}`).toBeLessThan(
          1e-13,
        );
      }
    }
  });

  it('is deterministic: the same input twice gives the same bits, before and after memory growth', () => {
    const run = (n: number, p: number): [Float64Array, Float64Array] => {
      const cols = randomColumns(n, p + 1, 4242 + p);
      const k = p + 2;
      const r = new Float64Array(k * k);
      wasmUpdateQr(r, k, cols, n, positiveWeights(n, 1), true);
      const c = new Float64Array((p + 1) * (p + 1));
      wasmAddCenteredGram(c, cols, n, undefined, new Float64Array(p + 1), new Float64Array(p + 1));
      return [r, c];
    };
    const [r1, c1] = run(333, 7);
    // A larger problem grows the module memory (detaching the old view) in between.
    run(3000, 150);
    const [r2, c2] = run(333, 7);
    expect(sameBits(r1, r2)).toBe(true);
    expect(sameBits(c1, c2)).toBe(true);
  });

  it('LINREG_KERNELS=js disables the wasm path (callers fall back to the JS kernels)', () => {
    process.env.LINREG_KERNELS = 'js';
    expect(wasmKernelsAvailable()).toBe(false);
    const r = new Float64Array(4);
    expect(() => wasmUpdateQr(r, 2, [new Float64Array(3)], 3, undefined, true)).toThrow(
      WasmKernelUnavailableError,
    );
    delete process.env.LINREG_KERNELS;
    expect(wasmKernelsAvailable()).toBe(true);
  });
});
