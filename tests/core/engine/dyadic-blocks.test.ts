/**
 * The aligned blocks of any cut of [0, n) into ranges, merged by
 * mergeBlocks, form exactly the tree of UnitOrderReducer — checked with a
 * merge that writes the tree as text, so any other shape or order differs.
 */
import { describe, expect, it } from 'vitest';
import {
  dyadicBlocks,
  mergeBlocks,
  sliceRange,
} from '../../../packages/core/src/engine/rounds/dyadic.js';
import { UnitOrderReducer } from '../../../packages/core/src/engine/run/reduce.js';

const tree = (a: string, b: string): string => `(${a} ${b})`;

function reducerTree(n: number): string | undefined {
  const r = new UnitOrderReducer(tree);
  for (let i = 0; i < n; i++) r.add(i, String(i));
  return r.finish(n);
}

/** Each range's blocks computed on their own (as a partial does), then merged. */
function cutTree(n: number, cuts: readonly number[]): string | undefined {
  const bounds = [0, ...cuts, n];
  const blocks = [];
  for (let k = 0; k + 1 < bounds.length; k++) {
    for (const block of dyadicBlocks(bounds[k] as number, bounds[k + 1] as number)) {
      const r = new UnitOrderReducer(tree);
      const size = 2 ** block.level;
      for (let i = 0; i < size; i++) r.add(i, String(block.start + i));
      blocks.push({ block, state: r.finish(size) as string });
    }
  }
  return mergeBlocks(blocks, tree);
}

describe('dyadic blocks', () => {
  it('every cut of every n ≤ 24 into up to three ranges gives the reducer tree', () => {
    for (let n = 0; n <= 24; n++) {
      const want = reducerTree(n);
      for (let a = 0; a <= n; a++) {
        for (let b = a; b <= n; b++) {
          expect(cutTree(n, [a, b])).toBe(want);
        }
      }
    }
  });

  it('--part i/N slices tile the units for N above and below the unit count', () => {
    for (const units of [0, 1, 5, 11, 64, 1000]) {
      for (const count of [1, 3, 8, 15, 2000]) {
        const cuts: number[] = [];
        let at = 0;
        for (let i = 0; i < count; i++) {
          const [a, b] = sliceRange(units, i, count);
          expect(a).toBe(at);
          expect(b).toBeGreaterThanOrEqual(a);
          at = b;
          if (i + 1 < count) cuts.push(b);
        }
        expect(at).toBe(units);
        if (units <= 64) expect(cutTree(units, cuts)).toBe(reducerTree(units));
      }
    }
  });

  it('blocks are aligned and maximal', () => {
    expect(dyadicBlocks(3, 13)).toEqual([
      { start: 3, level: 0 },
      { start: 4, level: 2 },
      { start: 8, level: 2 },
      { start: 12, level: 0 },
    ]);
    expect(dyadicBlocks(5, 5)).toEqual([]);
  });
});
