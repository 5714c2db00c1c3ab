/**
 * invertUpper (two columns at a time) and gramOfUpperInverse (two rows by two
 * rows) give the bits of the plain loops they replace: the column-by-column
 * back substitution, and Σ_{l ≥ j} U[i][l]·U[j][l] summed upwards.
 */
import { describe, expect, it } from 'vitest';
import {
  gramOfUpperInverse,
  inverseGramFromUpper,
  invertUpper,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { plainInverse } from '../../support/plain-inverse.js';
import { seededRandom } from '../accumulate/accumulator-reference.js';

function plainGram(u: Float64Array, n: number): Float64Array {
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let l = j; l < n; l++) s += (u[i * n + l] as number) * (u[j * n + l] as number);
      c[i * n + j] = s;
      c[j * n + i] = s;
    }
  }
  return c;
}

describe('blocked triangular inverse and its Gram', () => {
  for (const n of [1, 2, 3, 4, 5, 8, 33, 130]) {
    it(`n = ${n}: the same bits as the plain loops`, () => {
      const rnd = seededRandom(n);
      const ld = n + 1;
      const t = new Float64Array(ld * ld);
      for (let i = 0; i < n; i++) {
        for (let j = i; j < ld; j++) t[i * ld + j] = rnd() - 0.5 + (i === j ? 1.5 : 0);
      }
      const inv = invertUpper(t, ld, n);
      expect(inv).toEqual(plainInverse(t, ld, n));
      expect(gramOfUpperInverse(inv, n)).toEqual(plainGram(inv, n));
      expect(inverseGramFromUpper(t, ld, n)).toEqual(plainGram(plainInverse(t, ld, n), n));
    });
  }
});
