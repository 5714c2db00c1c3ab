/**
 * A small seeded pseudo-random generator for the numerics (SGD row order).
 * Library code never uses Math.random: every random choice is a pure function
 * of integer keys, so results never depend on timing or worker count.
 *
 * ## Method
 *
 * - Generator: xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom
 *   number generators", 2021): 128 bits of state, period 2^128 − 1, 32-bit
 *   output; all arithmetic in 32-bit integers (Math.imul, >>> 0), so it is
 *   exact and identical on every platform.
 * - Seeding: the key words (e.g. seed, epoch, unit index) are folded one by one
 *   through the `lowbias32` integer hash (C. Wellons, "Hash Prospector",
 *   bias ≈ 0.17) and a splitmix32-style Weyl increment, then four state words
 *   are drawn from the same mixer. Distinct keys give unrelated streams; an
 *   all-zero state (the one forbidden state) is replaced by a fixed constant.
 * - Bounded integers: modulo with rejection — unbiased for any bound ≤ 2^32.
 * - Shuffle: Fisher–Yates (Durstenfeld) into a caller-provided Uint32Array, so
 *   a permutation allocates nothing.
 */

const GOLDEN = 0x9e3779b9;

/** lowbias32: a 32-bit integer hash with low avalanche bias. */
function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** State of an xoshiro128** generator: four 32-bit words (mutated in place). */
export interface Random {
  readonly state: Uint32Array;
}

/**
 * A generator whose stream is a function of `keys` only (each an integer;
 * non-integers and values beyond 2^53 are rejected because they would alias).
 */
export function createRandom(...keys: readonly number[]): Random {
  let acc = 0x243f6a88;
  for (const key of keys) {
    if (!Number.isSafeInteger(key)) {
      throw new RangeError(`random key must be a safe integer, got ${key}`);
    }
    // Fold the low and the high 32 bits so keys ≥ 2^32 stay distinct.
    const lo = key >>> 0;
    const hi = Math.floor(key / 4294967296) >>> 0;
    acc = mix32((acc + GOLDEN) ^ lo);
    acc = mix32((acc + GOLDEN) ^ hi);
  }
  const state = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    acc = (acc + GOLDEN) >>> 0;
    state[i] = mix32(acc);
  }
  if ((state[0] | state[1] | state[2] | state[3]) === 0) state[0] = GOLDEN;
  return { state };
}

/** Next 32-bit output of xoshiro128** (advances the state). */
export function nextUint32(rng: Random): number {
  const s = rng.state;
  const s0 = s[0];
  const s1 = s[1];
  const s2 = s[2];
  const s3 = s[3];
  const x = Math.imul(s1, 5);
  const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0;
  const t = s1 << 9;
  const n2 = s2 ^ s0;
  const n3 = s3 ^ s1;
  s[1] = s1 ^ n2;
  s[0] = s0 ^ n3;
  s[2] = n2 ^ t;
  s[3] = (n3 << 11) | (n3 >>> 21);
  return result;
}

/** Uniform double in [0, 1) with 53 random bits. */
export function nextFloat64(rng: Random): number {
  const hi = nextUint32(rng) >>> 5; // 27 bits
  const lo = nextUint32(rng) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/**
 * Uniform integer in [0, bound), unbiased; 1 ≤ bound ≤ 2^32. Modulo with
 * rejection (as OpenBSD's arc4random_uniform): outputs below 2^32 mod bound
 * are redrawn, so every residue has exactly floor(2^32 / bound) preimages.
 * All values stay below 2^32, so the double arithmetic is exact.
 */
export function nextBelow(rng: Random, bound: number): number {
  const threshold = (4294967296 - bound) % bound;
  for (;;) {
    const r = nextUint32(rng);
    if (r >= threshold) return r % bound;
  }
}

/** Standard normal variate (Box–Muller; used only by tests and generators). */
export function nextGaussian(rng: Random): number {
  let u = 0;
  while (u === 0) u = nextFloat64(rng);
  const v = nextFloat64(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Write a uniformly random permutation of 0..n−1 into `perm[0..n)`
 * (Fisher–Yates). `perm.length` must be ≥ n.
 */
export function shuffleInto(perm: Uint32Array, n: number, rng: Random): void {
  if (perm.length < n)
    throw new RangeError(`permutation buffer holds ${perm.length} < ${n} entries`);
  for (let i = 0; i < n; i++) perm[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = nextBelow(rng, i + 1);
    const t = perm[i];
    perm[i] = perm[j];
    perm[j] = t;
  }
}
