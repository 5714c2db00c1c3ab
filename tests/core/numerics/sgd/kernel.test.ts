import { NumericInputError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import {
  createMoments,
  updateMoments,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  createRandom,
  createSgdParams,
  evaluateSgd,
  nextGaussian,
  objectiveAt,
  runSgdEpoch,
  type SgdEpochOptions,
  type SgdParams,
  type Standardization,
  standardizationFrom,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import type { DesignBatch } from '../../../../packages/core/src/numerics/types.js';

const n = 40;
const p = 3;

function makeBatch(weighted: boolean): DesignBatch {
  const rng = createRandom(99);
  const x = Array.from({ length: p }, (_, j) =>
    Float64Array.from({ length: n }, () => 3 * j + (j + 1) * nextGaussian(rng)),
  );
  const y = Float64Array.from(
    { length: n },
    (_, i) => 1 + x[0][i] - 2 * x[1][i] + 0.5 * x[2][i] + nextGaussian(rng),
  );
  const w = weighted ? Float64Array.from({ length: n }, (_, i) => 0.5 + (i % 4)) : undefined;
  return { rows: n, x, y, w };
}

function standardization(batch: DesignBatch, intercept = true): Standardization {
  const m = createMoments(p);
  updateMoments(m, batch);
  return standardizationFrom(m, intercept);
}

function options(std: Standardization, extra: Partial<SgdEpochOptions> = {}): SgdEpochOptions {
  return {
    optimizer: 'sgd',
    learningRate: 0.1,
    batchSize: 8,
    ridge: 0,
    seed: 5,
    epoch: 1,
    unitIndex: 0,
    standardization: std,
    ...extra,
  };
}

/** ∇F written out from its definition on explicitly standardized rows (independent of the kernel). */
function directGradient(
  batch: DesignBatch,
  std: Standardization,
  theta: Float64Array,
  l2: number,
): Float64Array {
  const g = new Float64Array(p + 1);
  let W = 0;
  for (let i = 0; i < n; i++) {
    const wi = batch.w === undefined ? 1 : batch.w[i];
    W += wi;
    const z = [1, ...batch.x.map((c, j) => (c[i] - std.center[j]) / std.scale[j])];
    const t = (batch.y[i] - std.center[p]) / std.scale[p];
    let e = t;
    for (let k = 0; k <= p; k++) e -= theta[k] * z[k];
    for (let k = 0; k <= p; k++) g[k] -= wi * e * z[k];
  }
  for (let k = 0; k <= p; k++) g[k] = (g[k] + (k === 0 ? 0 : l2 * theta[k])) / W;
  return g;
}

function paramsAt(theta: number[]): SgdParams {
  const params = createSgdParams(p + 1, 'sgd');
  params.theta.set(theta);
  return params;
}

describe('runSgdEpoch: one epoch over one unit', () => {
  for (const weighted of [false, true]) {
    it(`a full-batch step is a gradient-descent step on F (${weighted ? 'weighted' : 'unweighted'}, ridge)`, () => {
      const batch = makeBatch(weighted);
      const std = standardization(batch);
      const theta0 = [0.1, 0.2, -0.3, 0.05];
      const l2 = 3;
      const res = runSgdEpoch(
        paramsAt(theta0),
        batch,
        options(std, { batchSize: n, ridge: l2, standardize: true, learningRate: 0.25 }),
      );
      const g = directGradient(batch, std, new Float64Array(theta0), l2);
      expect(res.steps).toBe(1);
      expect(res.rows).toBe(n);
      for (let k = 0; k <= p; k++)
        expect(res.params.theta[k]).toBeCloseTo(theta0[k] - 0.25 * g[k], 13);
      // One step: the tail average is that iterate.
      expect(Array.from(res.average)).toEqual(Array.from(res.params.theta));
    });
  }

  it('objectiveAt gives the gradient of F (against central differences)', () => {
    const batch = makeBatch(true);
    const std = standardization(batch);
    const theta = new Float64Array([0.3, -0.1, 0.4, 0.2]);
    const at = (t: Float64Array) => objectiveAt(t, evaluateSgd(t, batch, std), std, 2, true);
    const { gradient } = at(theta);
    const direct = directGradient(batch, std, theta, 2);
    for (let k = 0; k <= p; k++) {
      const h = 1e-6;
      const plus = theta.slice();
      plus[k] += h;
      const minus = theta.slice();
      minus[k] -= h;
      expect(gradient[k]).toBeCloseTo((at(plus).objective - at(minus).objective) / (2 * h), 7);
      expect(gradient[k]).toBeCloseTo(direct[k], 13);
    }
  });

  it('is deterministic, keyed by (seed, epoch, unit), and does not mutate its input', () => {
    const batch = makeBatch(false);
    const std = standardization(batch);
    const start = paramsAt([0, 0, 0, 0]);
    const a = runSgdEpoch(start, batch, options(std));
    const b = runSgdEpoch(start, batch, options(std));
    expect(Array.from(a.params.theta)).toEqual(Array.from(b.params.theta));
    expect(Array.from(a.average)).toEqual(Array.from(b.average));
    expect(Array.from(start.theta)).toEqual([0, 0, 0, 0]);
    expect(a.steps).toBe(5);
    expect(a.params.step).toBe(5);
    for (const change of [{ epoch: 2 }, { unitIndex: 1 }, { seed: 6 }]) {
      const c = runSgdEpoch(start, batch, options(std, change));
      expect(Array.from(c.params.theta)).not.toEqual(Array.from(a.params.theta));
    }
  });

  it('SVRG with the snapshot at the start takes an exact full-gradient first step', () => {
    const batch = makeBatch(true);
    const std = standardization(batch);
    const theta0 = new Float64Array([0.2, 0.1, -0.2, 0.3]);
    const gradient = directGradient(batch, std, theta0, 0);
    const res = runSgdEpoch(paramsAt(Array.from(theta0)), batch, {
      ...options(std, { batchSize: n / 2, tailFraction: 1 }),
      control: { snapshot: theta0, gradient },
    });
    // Step 1 uses δ = 0: g = ∇F(θ̃). The average holds step 1 and step 2.
    const step1 = theta0.map((t, k) => t - 0.1 * gradient[k]);
    const step2 = Array.from(res.params.theta);
    for (let k = 0; k <= p; k++) expect(res.average[k]).toBeCloseTo((step1[k] + step2[k]) / 2, 14);
    expect(Number.isNaN(res.lossSum)).toBe(true);
  });

  it('Adam’s first step moves each coordinate by the learning rate against the gradient sign', () => {
    const batch = makeBatch(false);
    const std = standardization(batch);
    const params = createSgdParams(p + 1, 'adam');
    const res = runSgdEpoch(
      params,
      batch,
      options(std, { optimizer: 'adam', batchSize: n, learningRate: 0.01 }),
    );
    const g = directGradient(batch, std, params.theta, 0);
    // m̂ = g and v̂ = g² after one step, so Δθ = −η g / (|g| + ε): −η·sign(g) unless g is ~ε
    // (the intercept's gradient at 0 is a rounding residue: t is centered).
    for (let k = 0; k <= p; k++)
      expect(res.params.theta[k]).toBeCloseTo((-0.01 * g[k]) / (Math.abs(g[k]) + 1e-8), 7);
    for (let k = 1; k <= p; k++)
      expect(res.params.theta[k]).toBeCloseTo(-0.01 * Math.sign(g[k]), 8);
    expect(res.params.step).toBe(1);
    expect(res.params.m[1]).toBeCloseTo(0.1 * g[1], 14);
  });

  it('AMSGrad keeps the running maximum of v, so its steps are never larger than Adam’s', () => {
    const batch = makeBatch(false);
    const std = standardization(batch);
    const start = createSgdParams(p + 1, 'adam');
    // A short memory (β2 = 0.5) lets v fall as the gradients shrink, where the maximum binds.
    const adam = { beta1: 0.9, beta2: 0.5, epsilon: 1e-8 };
    const ams = runSgdEpoch(
      start,
      batch,
      options(std, { optimizer: 'adam', adam: { ...adam, amsgrad: true } }),
    );
    const plain = runSgdEpoch(
      start,
      batch,
      options(std, { optimizer: 'adam', adam: { ...adam, amsgrad: false } }),
    );
    for (let k = 0; k <= p; k++) {
      expect(ams.params.vMax[k]).toBeGreaterThanOrEqual(ams.params.v[k]);
      expect(plain.params.vMax[k]).toBe(0);
    }
    expect(ams.params.vMax.some((m, k) => m > ams.params.v[k])).toBe(true);
    expect(Array.from(ams.params.theta)).not.toEqual(Array.from(plain.params.theta));
  });

  it('reports the loss of the rows as they are used and optionally the full-batch sums at the start', () => {
    const batch = makeBatch(false);
    const std = standardization(batch);
    const zero = createSgdParams(p + 1, 'sgd');
    const res = runSgdEpoch(
      zero,
      batch,
      options(std, { learningRate: 1e-12, evaluateStart: true }),
    );
    // At θ = 0 each standardized residual is t, and Σ t² = n.
    expect(res.lossSum).toBeCloseTo(n, 9);
    expect(res.start?.lossSum).toBeCloseTo(n, 12);
    expect(res.start?.rows).toBe(n);
  });

  it('scaling every weight by a constant changes nothing beyond rounding', () => {
    const batch = makeBatch(true);
    const doubled = { ...batch, w: batch.w?.map((v) => 2 * v) };
    const a = runSgdEpoch(
      paramsAt([0, 0, 0, 0]),
      batch,
      options(standardization(batch), { ridge: 1, standardize: true }),
    );
    const b = runSgdEpoch(
      paramsAt([0, 0, 0, 0]),
      doubled,
      options(standardization(doubled), { ridge: 2, standardize: true }),
    );
    for (let k = 0; k <= p; k++) expect(b.params.theta[k]).toBeCloseTo(a.params.theta[k], 12);
  });

  it('validates its options at the boundary', () => {
    const batch = makeBatch(false);
    const std = standardization(batch);
    const zero = createSgdParams(p + 1, 'sgd');
    expect(() => runSgdEpoch(zero, batch, options(std, { learningRate: 0 }))).toThrow(
      /learningRate/,
    );
    expect(() => runSgdEpoch(zero, batch, options(std, { batchSize: 1.5 }))).toThrow(/batchSize/);
    expect(() => runSgdEpoch(zero, batch, options(std, { ridge: -1 }))).toThrow(/ridge/);
    expect(() => runSgdEpoch(createSgdParams(2, 'sgd'), batch, options(std))).toThrow(
      NumericInputError,
    );
    expect(() => runSgdEpoch(zero, batch, options(std, { optimizer: 'adam' }))).toThrow(/adam/);
  });

  it('an empty unit returns its start unchanged', () => {
    const std = standardization(makeBatch(false));
    const empty: DesignBatch = {
      rows: 0,
      x: [new Float64Array(0), new Float64Array(0), new Float64Array(0)],
      y: new Float64Array(0),
    };
    const res = runSgdEpoch(paramsAt([1, 2, 3, 4]), empty, options(std));
    expect(res.steps).toBe(0);
    expect(Array.from(res.average)).toEqual([1, 2, 3, 4]);
  });
});
