/**
 * Move a least-squares solution of a rank-deficient design to the
 * minimum-norm solution with the same fitted values.
 *
 * ## Why SGD needs it
 *
 * Gradient descent from zero stays in the row space of the design it sees,
 * so it converges to the minimum-norm solution *of its own coordinates*. SGD
 * runs in standardized coordinates (standardize.ts), an affine change of
 * variables that does not preserve Euclidean norm, and Adam's per-coordinate
 * scaling does not even keep the iterates in a fixed subspace. So the
 * minimum-norm property in ORIGINAL units (what the exact solver reports, e.g.
 * x1 = 1, x2 = 1, intercept = 0 on the motivating data) is restored here.
 *
 * ## Method
 *
 * Each alias relation x_c = Σ a_t x_t (the intercept being design column 0)
 * gives a null vector of the design, v = e_c − Σ a_t e_t; the relations of the
 * aliased columns span the null space. Orthonormalize them (modified
 * Gram–Schmidt applied twice — "twice is enough", Giraud, Langou & Rozložník
 * 2005) into N and return β − N(Nᵀβ): the orthogonal projection onto the row
 * space, i.e. the unique minimum-norm vector with the same fitted values
 * (exactly so when the relations are exact; to their accuracy otherwise).
 */

import { NumericInputError } from '@linreg/errors';
import type { AliasRelation } from '../solve/index.js';

/** Orthonormal basis (q × m row-major) of the null vectors given by `relations`; q may be < relations.length. */
export function nullSpaceBasis(
  m: number,
  relations: readonly AliasRelation[],
): { readonly q: number; readonly basis: Float64Array } {
  const basis = new Float64Array(relations.length * m);
  let q = 0;
  for (const rel of relations) {
    if (rel.column < 0 || rel.column >= m) {
      throw new NumericInputError(`min-norm: relation names column ${rel.column}, design has ${m}`);
    }
    const row = basis.subarray(q * m, (q + 1) * m);
    row.fill(0);
    row[rel.column] = 1;
    for (const term of rel.terms) {
      if (term.column < 0 || term.column >= m) {
        throw new NumericInputError(
          `min-norm: relation term names column ${term.column}, design has ${m}`,
        );
      }
      row[term.column] -= term.coef;
    }
    let original = 0;
    for (let i = 0; i < m; i++) original += row[i] * row[i];
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < q; k++) {
        const prev = basis.subarray(k * m, (k + 1) * m);
        let dot = 0;
        for (let i = 0; i < m; i++) dot += prev[i] * row[i];
        for (let i = 0; i < m; i++) row[i] -= dot * prev[i];
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += row[i] * row[i];
    // A relation dependent on earlier ones adds no direction: skip it.
    if (!(norm > 1e-24 * original)) continue;
    const inv = 1 / Math.sqrt(norm);
    for (let i = 0; i < m; i++) row[i] *= inv;
    q += 1;
  }
  return { q, basis: basis.subarray(0, q * m) };
}

/** β − N(Nᵀβ): the minimum-norm coefficients with the same fitted values (new array). */
export function projectToMinimumNorm(
  beta: Float64Array,
  relations: readonly AliasRelation[],
): Float64Array {
  const m = beta.length;
  const out = beta.slice();
  if (relations.length === 0) return out;
  const { q, basis } = nullSpaceBasis(m, relations);
  for (let k = 0; k < q; k++) {
    const v = basis.subarray(k * m, (k + 1) * m);
    let dot = 0;
    for (let i = 0; i < m; i++) dot += v[i] * out[i];
    for (let i = 0; i < m; i++) out[i] -= dot * v[i];
  }
  return out;
}
