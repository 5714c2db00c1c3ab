import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnitOrderReducer } from '../../../../packages/core/src/engine/run/reduce.js';

const tree = (n: number, order: readonly number[]): string | undefined => {
  const r = new UnitOrderReducer<string>((a, b) => `(${a} ${b})`);
  for (const i of order) r.add(i, String(i));
  return r.finish(n);
};

describe('UnitOrderReducer', () => {
  it('merges in a fixed pairwise shape', () => {
    expect(tree(1, [0])).toBe('0');
    expect(tree(2, [0, 1])).toBe('(0 1)');
    expect(tree(3, [0, 1, 2])).toBe('((0 1) 2)');
    expect(tree(4, [3, 2, 1, 0])).toBe('((0 1) (2 3))');
    expect(tree(7, [0, 1, 2, 3, 4, 5, 6])).toBe('(((0 1) (2 3)) ((4 5) 6))');
    expect(tree(0, [])).toBeUndefined();
  });

  it('gives the same tree for every arrival order (fixed-seed property)', () => {
    fc.assert(
      fc.property(
        fc
          .integer({ min: 1, max: 60 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
            ),
          ),
        ([n, order]) => {
          const inOrder = tree(n, [...Array(n).keys()]);
          expect(tree(n, order)).toBe(inOrder);
        },
      ),
      { seed: 20261129, numRuns: 200 },
    );
  });

  it('gives bitwise-identical floating-point sums for any arrival order', () => {
    const values = Array.from({ length: 37 }, (_, i) => 1 / (i + 1) + 1e16 * ((i % 3) - 1));
    const sum = (order: number[]): number => {
      const r = new UnitOrderReducer<number>((a, b) => a + b);
      for (const i of order) r.add(i, values[i] as number);
      return r.finish(values.length) as number;
    };
    const forward = sum([...values.keys()]);
    const backward = sum([...values.keys()].reverse());
    const interleaved = sum([...values.keys()].sort((a, b) => (a % 5) - (b % 5) || a - b));
    expect(Object.is(forward, backward)).toBe(true);
    expect(Object.is(forward, interleaved)).toBe(true);
  });

  it('keeps the stack logarithmic and holds back early units until their predecessors arrive', () => {
    let merges = 0;
    const r = new UnitOrderReducer<number>((a, b) => {
      merges += 1;
      return a + b;
    });
    r.add(2, 2);
    r.add(1, 1);
    expect(r.merged).toBe(0);
    expect(r.waiting).toBe(2);
    r.add(0, 0);
    expect(r.merged).toBe(3);
    expect(r.waiting).toBe(0);
    expect(r.finish(3)).toBe(3);
    expect(merges).toBe(2);
  });

  it('rejects a repeated unit and an incomplete finish', () => {
    const r = new UnitOrderReducer<number>((a, b) => a + b);
    r.add(0, 1);
    expect(() => r.add(0, 1)).toThrow(RangeError);
    r.add(2, 1);
    expect(() => r.finish(3)).toThrow(/1 of 3/);
  });
});
