/**
 * XXH32's stripe loop in WebAssembly, for the state checksum
 * (src/numerics/state/checksum.ts), which keeps the rest of the algorithm —
 * seeds, the last words, the avalanche — in JS. The same hash by
 * construction: XXH32 is integer arithmetic mod 2³², exact on every engine.
 *
 * A module of its own, with its own memory, so that hashing a state never
 * overwrites what another kernel keeps in the kernels' module memory (the
 * SGD rows of an epoch). Layout: the four lanes at byte 64, the words to
 * hash from byte 80. Built by wasm/build.mjs into
 * src/numerics/wasm/checksum-binary.ts.
 */

/** XXH32's primes 1 and 2 as i32 (0x9e3779b1, 0x85ebca77). */
const PRIME1: i32 = -1640531535;
const PRIME2: i32 = -2048144777;

/** Byte offset of the accumulator lanes. */
const ACC: usize = 64;
/** Byte offset of the first 16-byte stripe. */
const DATA: usize = 80;

/**
 * Folds `stripes` 16-byte stripes at DATA into the lanes at ACC:
 * v ← rotl(v + w·P2, 13)·P1 per lane. Four scalar lanes, not one i32x4: the
 * loop is bound by the latency of the multiplies in each lane's chain, and
 * i32x4.mul's is several times i32.mul's on x86 (measured: ~1.6x the speed).
 */
export function xxh32Stripes(stripes: i32): void {
  let v1 = load<i32>(ACC);
  let v2 = load<i32>(ACC, 4);
  let v3 = load<i32>(ACC, 8);
  let v4 = load<i32>(ACC, 12);
  const end = DATA + ((<usize>stripes) << 4);
  for (let p = DATA; p < end; p += 16) {
    v1 = rotl<i32>(v1 + load<i32>(p) * PRIME2, 13) * PRIME1;
    v2 = rotl<i32>(v2 + load<i32>(p, 4) * PRIME2, 13) * PRIME1;
    v3 = rotl<i32>(v3 + load<i32>(p, 8) * PRIME2, 13) * PRIME1;
    v4 = rotl<i32>(v4 + load<i32>(p, 12) * PRIME2, 13) * PRIME1;
  }
  store<i32>(ACC, v1);
  store<i32>(ACC, v2, 4);
  store<i32>(ACC, v3, 8);
  store<i32>(ACC, v4, 12);
}
