/**
 * AsyncUnitOrderReducer: the synchronous reducer's tree with merges that
 * return promises (run on the pool). The same pairs in the same shape for any
 * arrival order and any order in which merges end; merges whose inputs are
 * ready run at once; a failed merge stops the caller and is never an
 * unhandled rejection.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UnitOrderReducer } from '../../../../packages/core/src/engine/run/reduce.js';
import { AsyncUnitOrderReducer } from '../../../../packages/core/src/engine/run/reduce-async.js';

const syncTree = (n: number): string | undefined => {
  const r = new UnitOrderReducer<string>((a, b) => `(${a} ${b})`);
  for (let i = 0; i < n; i++) r.add(i, String(i));
  return r.finish(n);
};

/** The async reducer's tree, each merge ending after its own delay (ms). */
async function asyncTree(
  n: number,
  order: readonly number[],
  delays: readonly number[],
): Promise<string | undefined> {
  let merges = 0;
  const r = new AsyncUnitOrderReducer<string>(async (a, b) => {
    await sleep(delays[merges++ % delays.length] as number);
    return `(${a} ${b})`;
  });
  for (const i of order) r.add(i, String(i));
  return r.finish(n);
}

describe('AsyncUnitOrderReducer', () => {
  it("builds the synchronous reducer's tree for any arrival order and merge timing", async () => {
    expect(await asyncTree(0, [], [0])).toBeUndefined();
    expect(await asyncTree(1, [0], [0])).toBe('0');
    expect(await asyncTree(7, [6, 5, 4, 3, 2, 1, 0], [3, 0, 1])).toBe('(((0 1) (2 3)) ((4 5) 6))');
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 40 })
          .chain((n) =>
            fc.tuple(
              fc.constant(n),
              fc.shuffledSubarray([...Array(n).keys()], { minLength: n, maxLength: n }),
              fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 8 }),
            ),
          ),
        async ([n, order, delays]) => {
          expect(await asyncTree(n, order, delays)).toBe(syncTree(n));
        },
      ),
      { seed: 20261207, numRuns: 60 },
    );
  });

  it('runs merges whose inputs are ready at once, and tells each merge the units it spans', async () => {
    const spans: string[] = [];
    const release: (() => void)[] = [];
    const r = new AsyncUnitOrderReducer<string>((a, b, first, last) => {
      spans.push(`${first}-${last}`);
      return new Promise((resolve) => release.push(() => resolve(`(${a} ${b})`)));
    });
    for (let i = 0; i < 4; i++) r.add(i, String(i));
    await sleep(0);
    // Units 0–1 and 2–3 merge side by side; 0–3 waits for both.
    expect(r.running).toBe(2);
    expect(spans).toEqual(['0-1', '2-3']);
    let below = false;
    const waiting = r.whenBelow(2).then(() => {
      below = true;
    });
    await sleep(0);
    expect(below).toBe(false);
    release.shift()?.();
    await waiting;
    expect(below).toBe(true);
    release.shift()?.();
    await sleep(0);
    expect(spans).toEqual(['0-1', '2-3', '0-3']);
    release.shift()?.();
    expect(await r.finish(4)).toBe('((0 1) (2 3))');
    expect(r.running).toBe(0);
  });

  it('rejects whenBelow and finish with the first failed merge, never leaving it unhandled', async () => {
    const r = new AsyncUnitOrderReducer<string>(async (a, b) => {
      await sleep(1);
      if (a === '0') throw new Error('merge of 0 and 1 failed');
      return `(${a} ${b})`;
    });
    r.add(0, '0');
    r.add(1, '1');
    r.add(2, '2');
    // Nothing awaits the failure for a while: it must not surface as an unhandled rejection.
    await sleep(20);
    await expect(r.whenBelow(1)).rejects.toThrow('merge of 0 and 1 failed');
    r.add(3, '3');
    await expect(r.finish(4)).rejects.toThrow('merge of 0 and 1 failed');
  });

  it('refuses to finish before every unit is in', async () => {
    const r = new AsyncUnitOrderReducer<string>(async (a, b) => `(${a} ${b})`);
    r.add(1, '1');
    await expect(r.finish(2)).rejects.toThrow('reducer has 0 of 2 units in order');
    expect(() => r.add(1, '1')).toThrow('already added');
  });
});
