/**
 * upperGramDiagonal (numerics/solve/covariance-diagonal.ts) gives the bits of
 * triangularGram's diagonal — on the JS and the WebAssembly path, across its
 * 128-column panels — so the refinement decision taken from it before the
 * covariance exists is the one taken from the covariance.
 */
import { describe, expect, it } from 'vitest';
import {
  invertUpper,
  triangularGram,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { upperGramDiagonal } from '../../../../packages/core/src/numerics/solve/covariance-diagonal.js';
import { bothPaths, differences, restoreKernelsAfterEach } from '../../support/kernel-paths.js';
import { seededRandom } from '../accumulate/accumulator-reference.js';

restoreKernelsAfterEach();

/** An upper-triangular m × m matrix with entries of mixed scales (the diagonal kept away from 0). */
function upper(m: number, rand: () => number): Float64Array {
  const u = new Float64Array(m * m);
  for (let i = 0; i < m; i++) {
    for (let j = i; j < m; j++) {
      u[i * m + j] = (rand() - 0.5) * 10 ** Math.floor(rand() * 8 - 4) + (i === j ? 3 : 0);
    }
  }
  return u;
}

function diagonalOf(c: Float64Array, m: number): Float64Array {
  return Float64Array.from({ length: m }, (_, j) => c[j * m + j] as number);
}

describe('upperGramDiagonal', () => {
  for (const m of [1, 2, 5, 127, 128, 129, 300, 513]) {
    it(`is triangularGram’s diagonal bit for bit, JS and WebAssembly (m = ${m})`, () => {
      const u = upper(m, seededRandom(m + 11));
      const [js, wasm] = bothPaths(() => diagonalOf(triangularGram(u, m), m));
      const d = upperGramDiagonal(u, m);
      expect(differences(js, d)).toEqual([]);
      expect(differences(wasm, d)).toEqual([]);
      // Not trivially zero: every entry is a sum of positive squares.
      expect(d.every((x) => x > 0)).toBe(true);
    });
  }

  it('is the covariance’s diagonal from an inverted factor, as the solver forms it (m = 1,001)', () => {
    const m = 1001;
    const r = upper(m, seededRandom(5));
    const inverse = invertUpper(r, m, m);
    const [js, wasm] = bothPaths(() => diagonalOf(triangularGram(inverse, m), m));
    const d = upperGramDiagonal(inverse, m);
    expect(differences(js, d)).toEqual([]);
    expect(differences(wasm, d)).toEqual([]);
  });
});
