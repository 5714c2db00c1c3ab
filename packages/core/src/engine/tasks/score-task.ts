/**
 * Scoring one unit against a fitted model: the residuals r = y − ŷ of its
 * used rows at the model's β (ŷ with the intercept and any offset), summed
 * into a small state — n, Σr, Σr², Σ|r| and y's mean and centered sum of
 * squares (Chan et al.'s pairwise form, so units merge exactly in any
 * grouping) — for RMSE, MAE, R² and the mean residual (score/score-files.ts).
 */
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface ScoreArgs {
  readonly read: DesignRead;
  /** Coefficients in design order (the intercept first when `intercept`); NaN counts as 0. */
  readonly beta: Float64Array;
  readonly intercept: boolean;
}

/** [n, Σr, Σr², Σ|r|, mean y, Σ(y − ȳ)²]. */
export const SCORE_FIELDS = 6;

export const task: TaskKind<ScoreArgs, Float64Array> = {
  async run(input, args) {
    const state = new Float64Array(SCORE_FIELDS);
    const beta = Float64Array.from(args.beta, (b) => (Number.isNaN(b) ? 0 : b));
    const first = args.intercept ? 1 : 0;
    let fitted = new Float64Array(0);
    const rows = await streamDesign(input, args.read, (design, _row, _cluster, offset) => {
      const n = design.rows;
      if (fitted.length < n) fitted = new Float64Array(n);
      fitted.fill(args.intercept ? (beta[0] as number) : 0, 0, n);
      design.x.forEach((col, j) => {
        const b = beta[first + j] as number;
        if (b === 0) return;
        for (let i = 0; i < n; i++) fitted[i] = (fitted[i] as number) + b * (col[i] as number);
      });
      const part = new Float64Array(SCORE_FIELDS);
      let mean = 0;
      for (let i = 0; i < n; i++) {
        // y − offset − Xβ: the residual; y itself (for R²) adds the offset back.
        const r = (design.y[i] as number) - (fitted[i] as number);
        const y = (design.y[i] as number) + (offset === undefined ? 0 : (offset[i] as number));
        part[1] = (part[1] as number) + r;
        part[2] = (part[2] as number) + r * r;
        part[3] = (part[3] as number) + Math.abs(r);
        mean += y;
      }
      mean /= n;
      let m2 = 0;
      for (let i = 0; i < n; i++) {
        const d =
          (design.y[i] as number) + (offset === undefined ? 0 : (offset[i] as number)) - mean;
        m2 += d * d;
      }
      part[0] = n;
      part[4] = mean;
      part[5] = m2;
      mergeScore(state, part);
    });
    return { output: state, rows };
  },
  transfer: (o) => [o.buffer as ArrayBuffer],
};

/** a ← a ⊕ b (returns a). */
export function mergeScore(a: Float64Array, b: Float64Array): Float64Array {
  const na = a[0] as number;
  const nb = b[0] as number;
  if (nb === 0) return a;
  const n = na + nb;
  const delta = (b[4] as number) - (a[4] as number);
  a[5] = (a[5] as number) + (b[5] as number) + (delta * delta * na * nb) / n;
  a[4] = (a[4] as number) + (delta * nb) / n;
  a[0] = n;
  for (let k = 1; k <= 3; k++) a[k] = (a[k] as number) + (b[k] as number);
  return a;
}
