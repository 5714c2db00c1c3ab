import { afterEach, describe, expect, it } from 'vitest';
import {
  createMoments,
  updateMoments,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  createRandom,
  createSgdParams,
  nextGaussian,
  runSgdEpoch,
  type SgdEpochOptions,
  type SgdEpochResult,
  type Standardization,
  standardizationFrom,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import type { DesignBatch } from '../../../../packages/core/src/numerics/types.js';
import { wasmKernelsAvailable } from '../../../../packages/core/src/numerics/wasm/index.js';

// The SGD epoch on the WebAssembly SIMD row kernels and on their plain-JS
// mirror (numerics/sgd/sgd-rows.ts) must give the same bits, for every p mod 8
// (the SIMD kernels' register blocks), weights, no intercept, constant
// columns, SVRG and Adam, and units of more than one slab (2048 rows).

const savedEnv = process.env.LINREG_KERNELS;
afterEach(() => {
  if (savedEnv === undefined) delete process.env.LINREG_KERNELS;
  else process.env.LINREG_KERNELS = savedEnv;
});

function makeBatch(n: number, p: number, weighted: boolean, seed: number): DesignBatch {
  const rng = createRandom(seed);
  const x = Array.from({ length: p }, (_, j) =>
    // Column 1 is constant (no spread): its z is exactly 0 on both paths.
    Float64Array.from({ length: n }, () => (j === 1 ? 7 : 1e3 * j + (j + 1) * nextGaussian(rng))),
  );
  const y = Float64Array.from({ length: n }, (_, i) => {
    let s = 2 + nextGaussian(rng);
    for (let j = 0; j < p; j++) s += ((j % 3) - 1) * x[j][i];
    return s;
  });
  const w = weighted ? Float64Array.from({ length: n }, (_, i) => 0.25 + (i % 5)) : undefined;
  return { rows: n, x, y, w };
}

function standardization(batch: DesignBatch, intercept: boolean): Standardization {
  const m = createMoments(batch.x.length);
  updateMoments(m, batch);
  return standardizationFrom(m, intercept);
}

function epochOn(
  kernels: 'wasm' | 'js',
  batch: DesignBatch,
  o: SgdEpochOptions,
  optimizer: 'sgd' | 'adam',
): SgdEpochResult {
  if (kernels === 'js') process.env.LINREG_KERNELS = 'js';
  else delete process.env.LINREG_KERNELS;
  const dim = o.standardization.p + (o.standardization.intercept ? 1 : 0);
  const start = createSgdParams(dim, optimizer);
  for (let i = 0; i < dim; i++) start.theta[i] = 0.01 * ((i % 7) - 3);
  return runSgdEpoch(start, batch, o);
}

/** Σ w e² and Σ w e [1; z] written out from the definition (sgd-objective.ts), rows in order. */
function directSums(theta: Float64Array, batch: DesignBatch, std: Standardization) {
  const { p, center, invScale } = std;
  const off = std.intercept ? 1 : 0;
  const gradSum = new Float64Array(p + off);
  let lossSum = 0;
  for (let i = 0; i < batch.rows; i++) {
    const z = batch.x.map((col, j) => (invScale[j] === 0 ? 0 : (col[i] - center[j]) * invScale[j]));
    let e = (batch.y[i] - center[p]) * invScale[p] - (off === 1 ? theta[0] : 0);
    for (let j = 0; j < p; j++) e -= theta[off + j] * z[j];
    const w = batch.w === undefined ? 1 : batch.w[i];
    lossSum += w * e * e;
    if (off === 1) gradSum[0] += w * e;
    for (let j = 0; j < p; j++) gradSum[off + j] += w * e * z[j];
  }
  return { lossSum, gradSum };
}

const bits = (a: Float64Array): string =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');

describe('SGD row kernels: WebAssembly SIMD and JS give the same bits', () => {
  it('the SIMD module is available here', () => {
    delete process.env.LINREG_KERNELS;
    expect(wasmKernelsAvailable()).toBe(true);
  });

  const shapes: [n: number, p: number][] = [
    [37, 1],
    [200, 2],
    [129, 3],
    [300, 4],
    [301, 5],
    [64, 7],
    [513, 8],
    [257, 9],
    [4500, 13],
    [1000, 17],
  ];
  for (const [n, p] of shapes) {
    it(`n = ${n}, p = ${p}: last iterate, average, loss and start sums`, () => {
      let checked = 0;
      for (const weighted of [false, true]) {
        for (const intercept of [true, false]) {
          for (const optimizer of ['sgd', 'adam'] as const) {
            for (const svrg of [false, true]) {
              const batch = makeBatch(n, p, weighted, 7 * n + p);
              const std = standardization(batch, intercept);
              const dim = p + (intercept ? 1 : 0);
              const control = svrg
                ? {
                    snapshot: Float64Array.from({ length: dim }, (_, i) => 0.02 * (i % 3)),
                    gradient: Float64Array.from({ length: dim }, (_, i) => 1e-3 * (i - 1)),
                  }
                : undefined;
              const o: SgdEpochOptions = {
                optimizer,
                learningRate: 0.05,
                batchSize: 16,
                ridge: 0.5,
                seed: 3,
                epoch: 2,
                unitIndex: 1,
                standardization: std,
                control,
                evaluateStart: true,
              };
              const a = epochOn('wasm', batch, o, optimizer);
              const b = epochOn('js', batch, o, optimizer);
              expect(bits(a.params.theta)).toBe(bits(b.params.theta));
              expect(bits(a.average)).toBe(bits(b.average));
              expect(bits(a.params.m)).toBe(bits(b.params.m));
              expect(Object.is(a.lossSum, b.lossSum)).toBe(true);
              expect(a.start?.lossSum).toBe(b.start?.lossSum);
              expect(a.start?.sumWeights).toBe(b.start?.sumWeights);
              expect(bits(a.start?.gradSum ?? new Float64Array(0))).toBe(
                bits(b.start?.gradSum ?? new Float64Array(1)),
              );
              // And the start sums are the definition's up to rounding (another summation order).
              const ref = directSums(
                Float64Array.from({ length: dim }, (_, i) => 0.01 * ((i % 7) - 3)),
                batch,
                std,
              );
              const tol = 1e-12 * Math.max(1, Math.abs(ref.lossSum));
              expect(Math.abs((a.start?.lossSum ?? 0) - ref.lossSum)).toBeLessThan(tol);
              for (let i = 0; i < dim; i++) {
                const g = a.start?.gradSum[i] ?? Number.NaN;
                expect(Math.abs(g - ref.gradSum[i])).toBeLessThan(1e-11 * Math.max(1, n));
              }
              checked += 1;
            }
          }
        }
      }
      expect(checked).toBe(16);
    });
  }
});
