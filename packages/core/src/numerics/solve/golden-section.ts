/**
 * Golden-section search for the minimum of a function of one variable on a
 * bracket (Kiefer 1953): each step keeps the sub-bracket holding the lower
 * of two interior values and reuses one of them, so the bracket shrinks by
 * 1/φ ≈ 0.618 per evaluation. It needs no derivative and only that f is
 * unimodal on the bracket; otherwise it still returns the best point it saw.
 */

const INVERSE_PHI = (Math.sqrt(5) - 1) / 2;
/** Enough for any bracket of ln λ over the double range down to 1e-12. */
const MAX_STEPS = 200;

export interface LineMinimum {
  readonly x: number;
  readonly value: number;
}

/** The best point found in [a, b] until the bracket is narrower than `tolerance`. */
export function goldenSectionMinimum(
  f: (x: number) => number,
  a: number,
  b: number,
  tolerance: number,
): LineMinimum {
  let lo = Math.min(a, b);
  let hi = Math.max(a, b);
  let best: LineMinimum = { x: lo, value: f(lo) };
  const consider = (x: number, value: number): void => {
    if (value < best.value) best = { x, value };
  };
  consider(hi, f(hi));
  let x1 = hi - INVERSE_PHI * (hi - lo);
  let x2 = lo + INVERSE_PHI * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  consider(x1, f1);
  consider(x2, f2);
  for (let step = 0; step < MAX_STEPS && hi - lo > tolerance; step++) {
    if (f1 <= f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - INVERSE_PHI * (hi - lo);
      f1 = f(x1);
      consider(x1, f1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + INVERSE_PHI * (hi - lo);
      f2 = f(x2);
      consider(x2, f2);
    }
  }
  return best;
}
