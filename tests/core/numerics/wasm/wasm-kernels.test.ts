import { WasmKernelUnavailableError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBatchComoments,
  annihilateBlock,
  createAccumulator,
  updateAccumulator,
  updateQrState,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  paddedColumns,
  syrkUpperAdd,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { MeatAccumulator } from '../../../../packages/core/src/numerics/meat/index.js';
import {
  wasmAddCenteredGram,
  wasmAnnihilateBlock,
  wasmKernelsAvailable,
  wasmSyrkUpperAdd,
  wasmUpdateQr,
} from '../../../../packages/core/src/numerics/wasm/index.js';
import { differences, restoreKernelsAfterEach } from '../../support/kernel-paths.js';
import { seededRandom } from '../accumulate/accumulator-reference.js';

/**
 * The wasm kernels reproduce the JS kernels bit for bit (wasm/kernels.ts:
 * row-major blocks, one SIMD lane per column, the JS summation order), so
 * every comparison here is exact.
 */

function randomColumns(n: number, q: number, seed: number, offset = 0): Float64Array[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: q }, (_, c) =>
    Float64Array.from({ length: n }, () => offset * (c + 1) + rnd() * 2 - 1),
  );
}

function positiveWeights(n: number, seed: number): Float64Array {
  const rnd = seededRandom(seed);
  return Float64Array.from({ length: n }, () => 0.1 + 2 * rnd());
}

/** Folds the batch into R by both paths, as two batches (the second into a nonzero R). */
function bothQr(
  n: number,
  p: number,
  intercept: boolean,
  weighted: boolean,
  seed: number,
  offset = 0,
): [wasm: Float64Array, js: Float64Array] {
  const cols = randomColumns(n, p + 1, seed, offset);
  const w = weighted ? positiveWeights(n, seed + 7) : undefined;
  const k = p + 1 + (intercept ? 1 : 0);
  const rJs = new Float64Array(k * k);
  const rWasm = new Float64Array(k * k);
  for (const [from, to] of [
    [0, n >> 1],
    [n >> 1, n],
  ] as const) {
    const part = cols.map((c) => c.subarray(from, to));
    const pw = w?.subarray(from, to);
    updateQrState({ kind: 'qr', p, intercept, weighted }, rJs, part, to - from, pw);
    wasmUpdateQr(rWasm, k, part, to - from, pw, intercept);
  }
  return [rWasm, rJs];
}

/** The JS path's Gram block loop (comoments.ts) with given batch means. */
function jsCenteredGram(
  cols: readonly Float64Array[],
  n: number,
  w: Float64Array | undefined,
  hi: Float64Array,
  lo: Float64Array,
): Float64Array {
  const q = cols.length;
  const nb = 128;
  const block = new Float64Array(nb * paddedColumns(q));
  const c = new Float64Array(q * q);
  for (let row0 = 0; row0 < n; row0 += nb) {
    const nr = Math.min(nb, n - row0);
    for (let j = 0; j < q; j++) {
      const x = cols[j] as Float64Array;
      for (let i = 0; i < nr; i++) {
        const centered = x[row0 + i] - hi[j] - lo[j];
        block[j * nb + i] = w === undefined ? centered : centered * Math.sqrt(w[row0 + i]);
      }
    }
    syrkUpperAdd(nr, q, block, nb, c, q);
  }
  return c;
}

restoreKernelsAfterEach();

describe('wasm SIMD kernels', () => {
  it('are available on this engine (Node 20 has f64x2 SIMD)', () => {
    delete process.env.LINREG_KERNELS;
    expect(wasmKernelsAvailable()).toBe(true);
  });

  it('wasmUpdateQr gives the R of updateQrState bit for bit, for k = 1 … 103 and odd row counts', () => {
    const cases: [n: number, p: number][] = [
      [5, 0],
      [1, 1],
      [77, 2],
      [129, 3],
      [300, 5],
      [513, 6],
      [257, 13],
      [4200, 32],
      [700, 101],
    ];
    for (const [n, p] of cases) {
      for (const intercept of [true, false]) {
        for (const weighted of [false, true]) {
          const [rWasm, rJs] = bothQr(n, p, intercept, weighted, 31 * n + p);
          expect(differences(rWasm, rJs), `n=${n} p=${p} ${intercept} ${weighted}`).toEqual([]);
        }
      }
    }
  });

  it('wasmUpdateQr gives the same bits for any slab of whole 128-row blocks, with a refused batch leaving R untouched', () => {
    // Wide designs get slabs of fewer than 2,048 rows (8 MiB of module memory at most).
    const n = 1000;
    const cols = randomColumns(n, 40, 17, 0);
    const w = positiveWeights(n, 3);
    const k = 41;
    const reference = new Float64Array(k * k);
    wasmUpdateQr(reference, k, cols, n, w, true);
    for (const rows of [128, 256, 384, 1024, 2048]) {
      const r = new Float64Array(k * k);
      expect(wasmUpdateQr(r, k, cols, n, w, true, () => true, rows)).toBe(true);
      expect(differences(r, reference), `slab of ${rows} rows`).toEqual([]);
      expect(wasmUpdateQr(r, k, cols, n, w, true, () => false, rows)).toBe(false);
      expect(differences(r, reference), `refused, slab of ${rows} rows`).toEqual([]);
    }
  });

  it('wasmUpdateQr matches bit for bit on columns with large means (ill-conditioned)', () => {
    const [rWasm, rJs] = bothQr(3000, 9, true, true, 11, 1e6);
    expect(differences(rWasm, rJs)).toEqual([]);
  });

  it('wasmUpdateQr matches bit for bit on random shapes (fast-check, fixed seed)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 0, max: 24 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer({ min: 1, max: 1e6 }),
        (n, p, intercept, weighted, seed) => {
          const [rWasm, rJs] = bothQr(n, p, intercept, weighted, seed);
          return differences(rWasm, rJs).length === 0;
        },
      ),
      { seed: 20261129, numRuns: 60 },
    );
  });

  it('wasmAnnihilateBlock equals annihilateBlock on zero, sign-flipping, tiny and huge columns', () => {
    const n = 41;
    const k = 6;
    const cols = randomColumns(n, k, 99);
    (cols[1] as Float64Array).fill(0); // zero column: τ = 0
    for (const [j, f] of [
      [2, 1e-170], // σ underflows: rescaled path
      [3, 1e200], // σ overflows: rescaled path
    ] as const) {
      const c = cols[j] as Float64Array;
      for (let i = 0; i < n; i++) c[i] *= f;
    }
    const ld = n + 3;
    const b = new Float64Array(ld * k);
    for (const [j, c] of cols.entries()) b.set(c, j * ld);
    b.fill(0, 0, n); // column 0 of B is zero and R[0][0] < 0: the τ = 2 flip
    const rJs = new Float64Array(k * k);
    rJs[0] = -3;
    const rWasm = rJs.slice();
    annihilateBlock(rJs, k, b.slice(), ld, n, false);
    wasmAnnihilateBlock(rWasm, k, b, ld, n, false);
    expect(rWasm[0]).toBe(3);
    expect(differences(rWasm, rJs)).toEqual([]);
  });

  it('wasmAnnihilateBlock equals annihilateBlock on full blocks of more than 128 rows', () => {
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
      expect(differences(rWasm, rJs), `rows=${rows} k=${k}`).toEqual([]);
    }
  });

  it('wasmAnnihilateBlock equals annihilateBlock on a triangular B (a merge of two R)', () => {
    for (const k of [1, 2, 5, 8, 11, 102, 131]) {
      const n = 3 * k + 5;
      const spec = { kind: 'qr', p: k - 1, intercept: false, weighted: false } as const;
      const ra = new Float64Array(k * k);
      const rb = new Float64Array(k * k);
      updateQrState(spec, ra, randomColumns(n, k, k), n, undefined);
      updateQrState(spec, rb, randomColumns(n, k, k + 1000), n, undefined);
      // R_b's upper triangle, column-major, zeros below.
      const b = new Float64Array(k * k);
      for (let c = 0; c < k; c++) for (let i = 0; i <= c; i++) b[c * k + i] = rb[i * k + c];
      const mJs = ra.slice();
      const mWasm = ra.slice();
      annihilateBlock(mJs, k, b.slice(), k, k, true);
      wasmAnnihilateBlock(mWasm, k, b, k, k, true);
      expect(differences(mWasm, mJs), `k=${k}`).toEqual([]);
    }
  });

  it('wasmSyrkUpperAdd equals syrkUpperAdd, upper triangle only, for every q mod 4', () => {
    for (const q of [1, 2, 3, 4, 5, 7, 9, 101]) {
      for (const rows of [0, 1, 7, 64, 129]) {
        const rnd = seededRandom(17 * q + rows);
        const a = new Float64Array(rows * paddedColumns(q));
        for (let i = 0; i < rows * q; i++) a[i] = rnd() * 2 - 1;
        const cJs = new Float64Array(q * q).fill(0.5);
        const cWasm = cJs.slice();
        syrkUpperAdd(rows, q, a, rows, cJs, q);
        wasmSyrkUpperAdd(rows, q, a, rows, cWasm, q);
        expect(differences(cWasm, cJs), `q=${q} rows=${rows}`).toEqual([]);
      }
    }
  });

  it('wasmAddCenteredGram equals the JS block loop of addBatchComoments', () => {
    const n = 517;
    for (const q of [1, 4, 6, 33, 101]) {
      for (const weighted of [false, true]) {
        const cols = randomColumns(n, q, 3 * q, 1e3);
        const w = weighted ? positiveWeights(n, q) : undefined;
        const hi = Float64Array.from({ length: q }, (_, c) => 1e3 * (c + 1));
        const lo = Float64Array.from({ length: q }, (_, c) => 1e-14 * c);
        const cWasm = new Float64Array(q * q);
        wasmAddCenteredGram(cWasm, cols, n, w, hi, lo);
        const label = `q=${q} weighted=${weighted}`;
        expect(differences(cWasm, jsCenteredGram(cols, n, w, hi, lo)), label).toEqual([]);
        // The raw Gram (zero means) is what addBatchComoments adds without centering.
        const zeros = new Float64Array(q);
        const rawWasm = new Float64Array(q * q);
        wasmAddCenteredGram(rawWasm, cols, n, w, zeros, zeros);
        const rawJs = new Float64Array(q * q);
        addBatchComoments(zeros, zeros.slice(), rawJs, 0, cols, n, w, n, false);
        expect(differences(rawWasm, rawJs), label).toEqual([]);
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
    expect(differences(r1, r2)).toEqual([]);
    expect(differences(c1, c2)).toEqual([]);
  });

  it('accumulator states have the same bits with LINREG_KERNELS=js as without', () => {
    const n = 1500;
    const p = 11;
    const cols = randomColumns(n, p + 1, 77, 50);
    const w = positiveWeights(n, 78);
    for (const kind of ['qr', 'normal'] as const) {
      for (const weighted of [false, true]) {
        for (const intercept of [true, false]) {
          const run = (): Float64Array => {
            const st = createAccumulator({ kind, p, intercept, weighted });
            for (const [from, to] of [
              [0, 700],
              [700, n],
            ] as const) {
              const x = cols.slice(0, p).map((c) => c.subarray(from, to));
              const y = (cols[p] as Float64Array).subarray(from, to);
              const bw = weighted ? w.subarray(from, to) : undefined;
              updateAccumulator(st, { rows: to - from, x, y, w: bw });
            }
            return st.data;
          };
          process.env.LINREG_KERNELS = 'js';
          const js = run();
          delete process.env.LINREG_KERNELS;
          const label = `${kind} weighted=${weighted} intercept=${intercept}`;
          expect(differences(run(), js), label).toEqual([]);
        }
      }
    }
  });

  it('robust-SE meat states (leverage kernel) have the same bits with LINREG_KERNELS=js as without', () => {
    const n = 1000;
    const p = 9;
    const cols = randomColumns(n, p + 1, 91, 20);
    const w = positiveWeights(n, 92);
    // An upper-triangular R with a positive diagonal (a well-scaled Cholesky-like factor).
    const q = p + 1;
    const rnd = seededRandom(93);
    const factor = new Float64Array(q * q);
    for (let i = 0; i < q; i++) {
      factor[i * q + i] = 5 + rnd();
      for (let j = i + 1; j < q; j++) factor[i * q + j] = rnd() - 0.5;
    }
    const beta = Float64Array.from({ length: q }, () => rnd());
    const kept = Array.from({ length: q }, (_, j) => j);
    for (const type of ['hc0', 'hc2', 'hc3'] as const) {
      for (const weighted of [false, true]) {
        const run = (): Float64Array => {
          const meat = new MeatAccumulator({ p, intercept: true, beta, kept, factor, type });
          // 301 and 699 rows: chunks with an odd tail, so the kernel's scalar tail runs too.
          for (const [from, to] of [
            [0, 301],
            [301, n],
          ] as const) {
            const x = cols.slice(0, p).map((c) => c.subarray(from, to));
            const y = (cols[p] as Float64Array).subarray(from, to);
            meat.update({ rows: to - from, x, y, w: weighted ? w.subarray(from, to) : undefined });
          }
          return meat.state.data.slice();
        };
        process.env.LINREG_KERNELS = 'js';
        const js = run();
        delete process.env.LINREG_KERNELS;
        expect(differences(run(), js), `${type} weighted=${weighted}`).toEqual([]);
      }
    }
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
