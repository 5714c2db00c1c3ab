/**
 * targetState: the state of `[1 X y_j]` taken out of the state of `[1 X Y]`
 * (several targets, R's mlm) is the state a separate accumulation of
 * `[1 X y_j]` builds — the Gram route's selection bitwise, the TSQR factor
 * to rounding (RᵀR of the two agree, and ρ_j² is target j's residual sum of
 * squares) — with and without weights and intercept, across merges; and
 * leadingRefineState: the refinement state of one target out of a pass
 * over `[1 X Y]` at β padded with zeros.
 */
import { describe, expect, it } from 'vitest';
import {
  type AccumulatorState,
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  targetState,
  updateAccumulator,
} from '../../../../packages/core/src/numerics/accumulate/index.js';
import {
  createRefineState,
  leadingRefineState,
  updateRefineState,
} from '../../../../packages/core/src/numerics/refine/index.js';
import type { AccumulatorSpec } from '../../../../packages/core/src/numerics/types.js';
import { seededRandom } from './accumulator-reference.js';

const N = 400;
const P = 3;
const Q = 3;
const random = seededRandom(13);
const x = Array.from({ length: P }, () => Float64Array.from({ length: N }, () => random() * 4 - 2));
const ys = Array.from({ length: Q }, (_, j) =>
  Float64Array.from(
    { length: N },
    (_, i) => j + (x[0]?.[i] as number) * (j - 1) + (x[2]?.[i] as number) + random(),
  ),
);
const w = Float64Array.from({ length: N }, () => 0.5 + random());

/** Rows [0, half) and [half, N) in two states, merged: the path of two units. */
function accumulate(
  spec: AccumulatorSpec,
  cols: Float64Array[],
  y: Float64Array,
): AccumulatorState {
  const half = 150;
  const part = (from: number, to: number): AccumulatorState => {
    const s = createAccumulator(spec);
    updateAccumulator(s, {
      rows: to - from,
      x: cols.map((c) => c.subarray(from, to)),
      y: y.subarray(from, to),
      w: spec.weighted ? w.subarray(from, to) : undefined,
    });
    return s;
  };
  return mergeAccumulators(part(0, half), part(half, N));
}

/** (RᵀR)[a][b] of a k × k upper triangle. */
function gram(r: Float64Array, k: number, a: number, b: number): number {
  let s = 0;
  for (let i = 0; i <= Math.min(a, b); i++)
    s += (r[i * k + a] as number) * (r[i * k + b] as number);
  return s;
}

describe('targetState', () => {
  for (const kind of ['qr', 'normal'] as const) {
    for (const intercept of [true, false]) {
      for (const weighted of [false, true]) {
        it(`${kind}, intercept ${intercept}, weighted ${weighted}`, () => {
          const big: AccumulatorSpec = { kind, p: P + Q - 1, intercept, weighted };
          const all = accumulate(big, [...x, ...ys.slice(0, -1)], ys[Q - 1] as Float64Array);
          for (let j = 0; j < Q; j++) {
            const own = targetState(all, P, j);
            const alone = accumulate({ kind, p: P, intercept, weighted }, x, ys[j] as Float64Array);
            expect(own.spec).toEqual(alone.spec);
            const a = finalizeAccumulator(own);
            const b = finalizeAccumulator(alone);
            expect([a.rows, a.rowsPositiveWeight, a.sumWeights, a.sumLogWeights]).toEqual([
              b.rows,
              b.rowsPositiveWeight,
              b.sumWeights,
              b.sumLogWeights,
            ]);
            if (kind === 'normal') {
              expect(Array.from(own.data)).toEqual(Array.from(alone.data));
              continue;
            }
            // TSQR: rows may differ in sign, the Gram of R may not.
            const k = a.k;
            for (let r = 0; r < k; r++) {
              for (let c = r; c < k; c++) {
                const ga = gram(a.r, k, r, c);
                const gb = gram(b.r, k, r, c);
                expect(Math.abs(ga - gb)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(gb)));
              }
            }
            // ρ_j ≥ 0 and ρ_j² is the residual sum of squares of target j.
            const rho = a.r[k * k - 1] as number;
            expect(rho).toBeGreaterThanOrEqual(0);
            const rhoAlone = b.r[k * k - 1] as number;
            expect(Math.abs(rho * rho - rhoAlone * rhoAlone)).toBeLessThanOrEqual(
              1e-12 * rhoAlone * rhoAlone,
            );
          }
        });
      }
    }
  }

  it('leadingRefineState: a refinement pass over [1 X Y] at β padded with zeros is the pass over [1 X y_j]', () => {
    for (const weighted of [false, true]) {
      const spec: AccumulatorSpec = { kind: 'qr', p: P, intercept: true, weighted };
      const big: AccumulatorSpec = { ...spec, p: P + Q - 1 };
      const beta = Float64Array.from([0.5, 1.25, -2, 0.75]);
      const padded = new Float64Array(P + Q);
      padded.set(beta);
      const j = 0;
      const others = ys.filter((_, k) => k !== j);
      const wide = createRefineState(big, padded, { gram: true });
      updateRefineState(wide, {
        rows: N,
        x: [...x, ...others],
        y: ys[j] as Float64Array,
        w: weighted ? w : undefined,
      });
      const alone = createRefineState(spec, beta);
      updateRefineState(alone, {
        rows: N,
        x,
        y: ys[j] as Float64Array,
        w: weighted ? w : undefined,
      });
      expect(Array.from(leadingRefineState(wide, spec).data)).toEqual(Array.from(alone.data));
    }
  });

  it('refuses a target that is not there', () => {
    const all = createAccumulator({ kind: 'qr', p: P + Q - 1, intercept: true, weighted: false });
    expect(() => targetState(all, P, Q)).toThrow(/target 3 of a state with 5 columns/);
    expect(() => targetState(all, P + Q, 0)).toThrow(/does not exist/);
  });
});
