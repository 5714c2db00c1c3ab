import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AccumulatorState,
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  updateAccumulator,
} from '../../packages/core/src/numerics/accumulate/index.js';
import type { AccumulatorKind, AccumulatorSpec } from '../../packages/core/src/numerics/types.js';
import {
  type Dataset,
  factorDifference,
  realDataset,
  seededRandom,
  slice,
} from '../core/numerics/accumulate/accumulator-reference.js';

const SEED = 20260101;

interface Plan {
  readonly spec: AccumulatorSpec;
  readonly data: Dataset;
  /** Batch boundaries (sorted, from 0 to n). */
  readonly cuts: number[];
  /** State boundaries in batch indices: consecutive batches go into one state. */
  readonly groups: number[];
  /** Merge order: at each step merge states[i] ⊕ states[j] for picks (i, j). */
  readonly picks: [number, number][];
}

const planArb: fc.Arbitrary<Plan> = fc
  .record({
    kind: fc.constantFrom<AccumulatorKind>('qr', 'normal'),
    p: fc.integer({ min: 0, max: 9 }),
    intercept: fc.boolean(),
    weighted: fc.boolean(),
    n: fc.integer({ min: 1, max: 260 }),
    dataSeed: fc.integer({ min: 1, max: 1 << 30 }),
    cutFractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 }),
    groupFractions: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 }),
    picks: fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 20, maxLength: 20 }),
  })
  .map((r) => {
    // Enough rows for a well-conditioned least-squares problem.
    const n = r.n + r.p + 4;
    const data = realDataset(n, r.p, r.dataSeed);
    const rnd = seededRandom(r.dataSeed ^ 0x5bd1e995);
    const w = r.weighted
      ? Float64Array.from({ length: n }, () => (rnd() < 0.1 ? 0 : 0.25 + 2 * rnd()))
      : undefined;
    const cuts = [...new Set([0, n, ...r.cutFractions.map((f) => Math.floor(f * n))])].sort(
      (a, b) => a - b,
    );
    const batches = cuts.length - 1;
    const groups = [
      ...new Set([0, batches, ...r.groupFractions.map((f) => Math.floor(f * batches))]),
    ].sort((a, b) => a - b);
    return {
      spec: { kind: r.kind, p: r.p, intercept: r.intercept, weighted: r.weighted },
      data: { ...data, w },
      cuts,
      groups,
      picks: r.picks,
    };
  });

/** Runs a plan: batches into states, then merges them in the planned (arbitrary) tree. */
function run(plan: Plan): AccumulatorState {
  const states: AccumulatorState[] = [];
  for (let g = 0; g + 1 < plan.groups.length; g++) {
    const s = createAccumulator(plan.spec);
    for (let b = plan.groups[g] as number; b < (plan.groups[g + 1] as number); b++) {
      updateAccumulator(s, slice(plan.data, plan.cuts[b] as number, plan.cuts[b + 1] as number));
    }
    states.push(s);
  }
  let step = 0;
  while (states.length > 1) {
    const [pi, pj] = plan.picks[step % plan.picks.length] as [number, number];
    step++;
    const i = pi % states.length;
    let j = pj % (states.length - 1);
    if (j >= i) j++;
    const merged = mergeAccumulators(states[i] as AccumulatorState, states[j] as AccumulatorState);
    states.splice(Math.max(i, j), 1);
    states[Math.min(i, j)] = merged;
  }
  return states[0] as AccumulatorState;
}

/** The same rows in one batch, one state. */
function reference(plan: Plan): AccumulatorState {
  const s = createAccumulator(plan.spec);
  updateAccumulator(s, slice(plan.data, 0, plan.data.n));
  return s;
}

describe('accumulator merge properties', () => {
  it('any batching and merge tree gives the R of the whole data (≤ 1e-12 relative per column)', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        const a = finalizeAccumulator(run(plan));
        const b = finalizeAccumulator(reference(plan));
        expect(a.rows).toBe(b.rows);
        expect(a.rowsPositiveWeight).toBe(b.rowsPositiveWeight);
        expect(Math.abs(a.sumWeights - b.sumWeights)).toBeLessThanOrEqual(1e-12 * b.sumWeights);
        expect(factorDifference(a.r, b.r, a.k)).toBeLessThanOrEqual(1e-12);
      }),
      { seed: SEED, numRuns: 150 },
    );
  });

  it('a fixed plan is bitwise reproducible', () => {
    fc.assert(
      fc.property(planArb, (plan) => {
        expect(run(plan).data).toEqual(run(plan).data);
      }),
      { seed: SEED + 1, numRuns: 40 },
    );
  });

  for (const kind of ['qr', 'normal'] as const) {
    it(`${kind}: one-row batches give the same R as one batch`, () => {
      const data = realDataset(150, 6, 5);
      const spec: AccumulatorSpec = { kind, p: 6, intercept: true, weighted: false };
      const rowByRow = createAccumulator(spec);
      for (let i = 0; i < data.n; i++) updateAccumulator(rowByRow, slice(data, i, i + 1));
      const whole = createAccumulator(spec);
      updateAccumulator(whole, slice(data, 0, data.n));
      const a = finalizeAccumulator(rowByRow);
      const b = finalizeAccumulator(whole);
      expect(factorDifference(a.r, b.r, a.k)).toBeLessThanOrEqual(1e-12);
    });
  }
});
