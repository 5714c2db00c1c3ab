import { describe, expect, it } from 'vitest';
import {
  nullSpaceBasis,
  projectToMinimumNorm,
} from '../../../../packages/core/src/numerics/sgd/index.js';
import type { AliasRelation } from '../../../../packages/core/src/numerics/solve/index.js';

describe('projectToMinimumNorm', () => {
  it('maps any solution of the motivating data to (0, 1, 1)', () => {
    // x2 = x1 + 1·(Intercept): every β = (t, 1 + t, 1 − t)… fits; the minimum-norm one is t = 0.
    const relation: AliasRelation = {
      column: 2,
      terms: [
        { column: 0, coef: 1 },
        { column: 1, coef: 1 },
      ],
    };
    for (const t of [-3, 0.5, 2]) {
      const out = projectToMinimumNorm(new Float64Array([t, 1 + t, 1 - t]), [relation]);
      expect(out[0]).toBeCloseTo(0, 14);
      expect(out[1]).toBeCloseTo(1, 14);
      expect(out[2]).toBeCloseTo(1, 14);
    }
  });

  it('equals the pseudo-inverse solution for two relations (checked by orthogonality and fit)', () => {
    // Design columns: 0 intercept, 1 x1, 2 x2 = 2·x1 − 1, 3 x3 = x1 + 0.5
    const relations: AliasRelation[] = [
      {
        column: 2,
        terms: [
          { column: 0, coef: -1 },
          { column: 1, coef: 2 },
        ],
      },
      {
        column: 3,
        terms: [
          { column: 0, coef: 0.5 },
          { column: 1, coef: 1 },
        ],
      },
    ];
    const beta = new Float64Array([4, -1, 2, 3]);
    const out = projectToMinimumNorm(beta, relations);
    const { q, basis } = nullSpaceBasis(4, relations);
    expect(q).toBe(2);
    // Orthogonal to the null space (so it is the minimum-norm representative) …
    for (let k = 0; k < q; k++) {
      let dot = 0;
      for (let i = 0; i < 4; i++) dot += basis[k * 4 + i] * out[i];
      expect(Math.abs(dot)).toBeLessThan(1e-14);
    }
    // … and it predicts the same values on rows satisfying the relations.
    for (const x1 of [-2, 0, 1.5, 7]) {
      const row = [1, x1, 2 * x1 - 1, x1 + 0.5];
      const f = (b: Float64Array) => row.reduce((acc, v, i) => acc + v * b[i], 0);
      expect(f(out)).toBeCloseTo(f(beta), 12);
    }
  });

  it('ignores a relation that repeats an earlier direction and checks column indices', () => {
    const r: AliasRelation = { column: 1, terms: [{ column: 0, coef: 2 }] };
    expect(nullSpaceBasis(2, [r, r]).q).toBe(1);
    expect(Array.from(projectToMinimumNorm(new Float64Array([1, 2]), []))).toEqual([1, 2]);
    expect(() => projectToMinimumNorm(new Float64Array(2), [{ column: 3, terms: [] }])).toThrow(
      /column 3/,
    );
  });
});
