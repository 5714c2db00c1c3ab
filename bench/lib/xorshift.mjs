// Seeded uniform data for the kernel benches (xorshift32, Marsaglia 2003), so
// every run times the same numbers.

/** A fresh generator of uniforms in [−0.5, 0.5); the same seed gives the same stream. */
export function xorshiftUniform(seed = 0x9e3779b9) {
  let s = seed;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296 - 0.5;
  };
}
