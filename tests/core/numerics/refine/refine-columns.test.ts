import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  createRefineState,
  refineOffsets,
  updateRefineState,
} from '../../../../packages/core/src/numerics/refine/index.js';
import type { AccumulatorSpec, DesignBatch } from '../../../../packages/core/src/numerics/types.js';

/**
 * Without the Gram a refinement batch is walked column by column
 * (refine-columns.ts); with it, row by row. Both accumulate g = Xᵀ W r and
 * the RSS with the same operations per accumulator in the same row order, so
 * those slots must agree bit for bit — the column walk is only a reordering
 * between different accumulators.
 */
const sameBits = (a: Float64Array, b: Float64Array): boolean =>
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );

describe('refinement without the Gram, by columns', () => {
  it('gives the row walk’s g and RSS bit for bit (intercept or not, weights with zeros, several batches)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.boolean(),
        fc.boolean(),
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 2 ** 31 - 1 }),
        (p, intercept, weighted, sizes, seed) => {
          let state = seed;
          const rand = (): number => {
            state = (Math.imul(state, 48271) % 2147483647) >>> 0;
            return state / 2147483647;
          };
          const m = p + (intercept ? 1 : 0);
          const spec: AccumulatorSpec = { kind: 'qr', p, intercept, weighted };
          // Coefficients and values of mixed scales, so the dd parts are not trivial.
          const beta = Float64Array.from(
            { length: m },
            () => (rand() - 0.5) * 10 ** Math.floor(rand() * 6 - 3),
          );
          const byRows = createRefineState(spec, beta, { gram: true });
          const byColumns = createRefineState(spec, beta, { gram: false });
          for (const rows of sizes) {
            const batch: DesignBatch = {
              rows,
              x: Array.from({ length: p }, () =>
                Float64Array.from({ length: rows }, () => (rand() - 0.5) * 1e3),
              ),
              y: Float64Array.from({ length: rows }, () => rand() * 100 - 50),
              ...(weighted
                ? { w: Float64Array.from({ length: rows }, () => (rand() < 0.2 ? 0 : rand() * 3)) }
                : {}),
            };
            updateRefineState(byRows, batch);
            updateRefineState(byColumns, batch);
          }
          const off = refineOffsets(m);
          const gAndRss = (data: Float64Array) => data.subarray(off.g, off.rss + 2);
          expect(sameBits(gAndRss(byRows.data), gAndRss(byColumns.data))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });
});
