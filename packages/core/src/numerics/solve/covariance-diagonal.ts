/**
 * The diagonal of C = U·Uᵀ for an upper-triangular U (m × m row-major) with
 * the bits of linalg/back-substitution.ts triangularGram(U)'s diagonal, in
 * O(m²/2) instead of the O(m³/3) of the whole product.
 *
 * The refinement decision (refine.ts needsRefinement) reads only the
 * covariance's diagonal; at p = 1,000 it comes from R_X⁻¹ (rank.ts
 * RankInfo.inverse) as Cⱼⱼ = Σₗ R_X⁻¹[j][l]², so the fit can start the
 * refinement pass before forming C (~35 ms at m = 1,001), and form it while
 * the pass runs (engine/exact/finish.ts).
 *
 * Same bits: triangularGram sums each entry panel by panel (GRAM_PANEL_ROWS
 * columns of U a panel), each panel's dot product in order from 0 and then
 * added to the entry (syrkUpperAdd, and the WebAssembly kernel likewise);
 * the zeros left of the diagonal add +0, which changes no sum. Checked
 * against triangularGram on both kernel paths in
 * tests/core/numerics/solve/covariance-diagonal.test.ts.
 */

import { GRAM_PANEL_ROWS } from '../linalg/index.js';

/** diag(U·Uᵀ) with triangularGram's summation order; entries left of U's diagonal are not read. */
export function upperGramDiagonal(u: Float64Array, m: number): Float64Array {
  const d = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    const row = i * m;
    let c = 0;
    // Panels wholly left of the diagonal hold only zeros of U: they add +0.
    for (let r0 = i - (i % GRAM_PANEL_ROWS); r0 < m; r0 += GRAM_PANEL_ROWS) {
      const end = Math.min(m, r0 + GRAM_PANEL_ROWS);
      let s = 0;
      for (let r = Math.max(r0, i); r < end; r++) {
        const x = u[row + r] as number;
        s += x * x;
      }
      c += s;
    }
    d[i] = c;
  }
  return d;
}
