import { solveUpper } from '../../../packages/core/src/numerics/linalg/index.js';

/**
 * T⁻¹ (n × n, row-major) of the upper triangle of t (leading dimension ld),
 * column by column by plain back substitution: the definition the blocked
 * and WebAssembly inverses keep the bits of.
 */
export function plainInverse(t: Float64Array, ld: number, n: number): Float64Array {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    col.fill(0);
    col[j] = 1;
    solveUpper(t, ld, j + 1, col);
    for (let i = 0; i <= j; i++) inv[i * n + j] = col[i] as number;
  }
  return inv;
}
