import { describe, expect, it } from 'vitest';
import {
  createRandom,
  nextBelow,
  nextFloat64,
  nextUint32,
  shuffleInto,
} from '../../../../packages/core/src/numerics/sgd/index.js';

/** xoshiro128** written independently with BigInt arithmetic (reference for the 32-bit version). */
function referenceXoshiro(seed: readonly number[], count: number): number[] {
  const mask = (1n << 32n) - 1n;
  const rotl = (x: bigint, k: bigint): bigint => ((x << k) | (x >> (32n - k))) & mask;
  const s = seed.map((v) => BigInt(v));
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1] * 5n) & mask, 7n) * 9n) & mask));
    const t = (s[1] << 9n) & mask;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11n);
  }
  return out;
}

describe('random: xoshiro128**', () => {
  it('matches an independent BigInt implementation from a fixed state', () => {
    const rng = createRandom(0);
    rng.state.set([1, 2, 3, 4]);
    const expected = referenceXoshiro([1, 2, 3, 4], 1000);
    const actual = Array.from({ length: 1000 }, () => nextUint32(rng));
    expect(actual.slice(0, 1)).toEqual([11520]);
    expect(actual).toEqual(expected);
  });

  it('is a pure function of its keys, and different keys give different streams', () => {
    const draw = (...keys: number[]): number[] => {
      const rng = createRandom(...keys);
      return Array.from({ length: 8 }, () => nextUint32(rng));
    };
    expect(draw(7, 1, 0)).toEqual(draw(7, 1, 0));
    const streams = [
      draw(7, 1, 0),
      draw(7, 1, 1),
      draw(7, 2, 0),
      draw(8, 1, 0),
      draw(7, 0, 1),
      draw(2 ** 40, 1, 0),
    ];
    const firsts = new Set(streams.map((s) => s.join(',')));
    expect(firsts.size).toBe(streams.length);
    expect(() => createRandom(0.5)).toThrow(RangeError);
  });

  it('draws floats in [0, 1) with the right mean', () => {
    const rng = createRandom(42);
    let sum = 0;
    let outside = 0;
    const n = 100_000;
    for (let i = 0; i < n; i++) {
      const u = nextFloat64(rng);
      if (!(u >= 0 && u < 1)) outside += 1;
      sum += u;
    }
    expect(outside).toBe(0);
    // sd of the mean = sqrt(1/12/n) ≈ 9.1e-4; allow 5 sd.
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(5 * 9.2e-4);
  });

  it('bounded integers are unbiased (chi-square over a bound that does not divide 2^32)', () => {
    const rng = createRandom(3);
    const bound = 7;
    const counts = new Array(bound).fill(0);
    const n = 70_000;
    for (let i = 0; i < n; i++) counts[nextBelow(rng, bound)] += 1;
    const expected = n / bound;
    const chi2 = counts.reduce((acc, c) => acc + (c - expected) ** 2 / expected, 0);
    // 6 degrees of freedom: P(chi2 > 22.46) = 0.001.
    expect(chi2).toBeLessThan(22.46);
  });

  it('shuffles into a preallocated buffer: a permutation, every order of 3 about equally often', () => {
    const perm = new Uint32Array(10);
    const rng = createRandom(11);
    shuffleInto(perm, 10, rng);
    expect(Array.from(perm).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const counts = new Map<string, number>();
    const small = new Uint32Array(3);
    for (let i = 0; i < 60_000; i++) {
      shuffleInto(small, 3, rng);
      const key = small.join('');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    expect(counts.size).toBe(6);
    for (const c of counts.values()) expect(Math.abs(c - 10_000)).toBeLessThan(500);
    expect(() => shuffleInto(new Uint32Array(2), 3, rng)).toThrow(RangeError);
  });
});
