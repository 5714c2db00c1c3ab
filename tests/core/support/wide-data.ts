/**
 * A wide design for the solver's tests: correlated columns of mixed units
 * (so κ and the VIFs are not trivial), y on the first column only, so most
 * βⱼ are noise-sized; n = 3p rows.
 */
import { seededRandom } from '../numerics/accumulate/accumulator-reference.js';
import type { Data } from './factor-of.js';

export function wideData(p: number, seed: number): Data {
  const n = 3 * p;
  const rnd = seededRandom(seed);
  const base = Float64Array.from({ length: n }, () => rnd() - 0.5);
  const x = Array.from({ length: p }, (_, j) =>
    Float64Array.from(
      { length: n },
      (_, i) => (0.5 * (base[i] as number) + rnd() - 0.5) * 10 ** (j % 5),
    ),
  );
  const y = Float64Array.from(
    { length: n },
    (_, i) => ((x[0] as Float64Array)[i] as number) + rnd(),
  );
  return { intercept: true, x, y };
}
