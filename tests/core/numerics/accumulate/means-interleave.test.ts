/**
 * addBatchComoments sums the batch means of four columns in one loop
 * (comoments.ts batchMeans) for speed; each column's sums must keep the order
 * of a column summed alone, so every column's mean and variance are the same
 * bits whether it is accumulated alone or among others, weighted or not, at
 * any column count (the groups of four and the remainder).
 */
import { describe, expect, it } from 'vitest';
import { addBatchComoments } from '../../../../packages/core/src/numerics/accumulate/index.js';
import { seededRandom } from './accumulator-reference.js';

function accumulate(cols: Float64Array[], rows: number, w: Float64Array | undefined) {
  const q = cols.length;
  const hi = new Float64Array(q).fill(0.25);
  const lo = new Float64Array(q);
  const cm = new Float64Array(q * q);
  const weight = w === undefined ? rows : w.reduce((a, b) => a + b, 0);
  addBatchComoments(hi, lo, cm, 3, cols, rows, w, weight, true);
  return { hi, lo, cm };
}

describe('batch means of interleaved columns', () => {
  for (const weighted of [false, true]) {
    it(`match each column alone, bit for bit (${weighted ? 'weighted' : 'unweighted'})`, () => {
      const rand = seededRandom(41);
      const rows = 1003;
      for (const q of [4, 5, 7, 9]) {
        // Large means with a small spread, where the sums' order shows in the last bits.
        const cols = Array.from({ length: q }, (_, c) =>
          Float64Array.from({ length: rows }, () => 1e7 * (c + 1) + rand()),
        );
        const w = weighted ? Float64Array.from({ length: rows }, () => 0.5 + rand()) : undefined;
        const all = accumulate(cols, rows, w);
        for (let c = 0; c < q; c++) {
          const alone = accumulate([cols[c] as Float64Array], rows, w);
          expect(Object.is(all.hi[c], alone.hi[0]), `mean hi q=${q} c=${c}`).toBe(true);
          expect(Object.is(all.lo[c], alone.lo[0]), `mean lo q=${q} c=${c}`).toBe(true);
          expect(Object.is(all.cm[c * q + c], alone.cm[0]), `co-moment q=${q} c=${c}`).toBe(true);
        }
      }
    });
  }
});
