/**
 * The per-row quantities of the diagnostics report, batch by batch, at the
 * model's coefficients (R's `plot.lm`):
 *
 *     ŷᵢ = xᵢᵀβ̂ + offsetᵢ                 fitted value (NaN coefficients count 0)
 *     eᵢ = √wᵢ·(yᵢ − ŷᵢ)                  whitened residual (R's weighted.residuals)
 *     hᵢ = wᵢ·xᵢᵀ(XᵀWX)⁻¹xᵢ              leverage, as predict's se_fit (model/predict.ts)
 *     sᵢ = eᵢ / (σ̂·√(1 − hᵢ))             standardized residual (R's rstandard)
 *     Dᵢ = sᵢ²·hᵢ / (rank·(1 − hᵢ))        Cook's distance (R's cooks.distance)
 *
 * The leverage comes from the model's triangular factor (a forward
 * substitution per row) or, without one, from its unscaled covariance (the
 * pseudo-inverse under `min-norm`, whose hat matrix is the same). A ridge
 * model stores neither (XᵀWX + λD)⁻¹ nor XᵀWX, so it has no leverage: h, D
 * are NaN and s = e/σ̂. Rows of zero weight are no observation: e is NaN.
 *
 * Scratch arrays grow with the batch and are reused; nothing is allocated
 * per row.
 */
import type { LinregModel } from '../../model/model.js';
import { designQuadratic } from '../../model/predict.js';
import { chunkResiduals } from '../../numerics/linalg/index.js';
import type { DesignBatch } from '../../numerics/types.js';

/** Whether a model's rows have a leverage the report can compute (not ridge, not unchecked SGD). */
export function hasLeverage(model: LinregModel): boolean {
  if (model.ridge.lambda > 0) return false;
  if (model.triangularFactor !== undefined) return true;
  return model.coefficients.every(
    (c, j) => c.aliased || Number.isFinite(model.covUnscaled[j]?.[j]),
  );
}

export class ReportRows {
  readonly #model: LinregModel;
  readonly #beta: Float64Array;
  readonly #sigma: number;
  readonly #rank: number;
  readonly leverage: boolean;
  #ones = new Float64Array(0);
  fitted = new Float64Array(0);
  residual = new Float64Array(0);
  hat = new Float64Array(0);
  standardized = new Float64Array(0);
  cook = new Float64Array(0);

  constructor(model: LinregModel) {
    this.#model = model;
    this.#beta = Float64Array.from(model.coefficients, (c) =>
      Number.isNaN(c.estimate) ? 0 : c.estimate,
    );
    this.#sigma = model.statistics.sigma;
    this.#rank = model.rank;
    this.leverage = hasLeverage(model);
  }

  /** Fills the arrays' first `design.rows` entries for one batch. */
  compute(design: DesignBatch, offset: Float64Array | undefined): void {
    const n = design.rows;
    if (this.fitted.length < n) {
      const size = Math.max(n, 2 * this.fitted.length);
      this.fitted = new Float64Array(size);
      this.residual = new Float64Array(size);
      this.hat = new Float64Array(size);
      this.standardized = new Float64Array(size);
      this.cook = new Float64Array(size);
      this.#ones = new Float64Array(size).fill(1);
    }
    const { fitted, residual: e, hat, standardized: s, cook } = this;
    chunkResiduals(design, 0, n, this.#beta, this.#model.intercept, e);
    const y = design.y;
    for (let i = 0; i < n; i++) {
      fitted[i] = (y[i] as number) - (e[i] as number) + (offset === undefined ? 0 : offset[i]);
    }
    const w = design.w;
    if (w !== undefined) {
      for (let i = 0; i < n; i++) {
        const wi = w[i] as number;
        e[i] = wi > 0 ? Math.sqrt(wi) * (e[i] as number) : Number.NaN;
      }
    }
    const sigma = this.#sigma;
    if (!this.leverage) {
      hat.fill(Number.NaN, 0, n);
      cook.fill(Number.NaN, 0, n);
      for (let i = 0; i < n; i++) s[i] = (e[i] as number) / sigma;
      return;
    }
    const design0 = this.#model.intercept ? [this.#ones, ...design.x] : design.x;
    const q = designQuadratic(this.#model, design0, n);
    const rank = this.#rank;
    for (let i = 0; i < n; i++) {
      const h = (w === undefined ? 1 : (w[i] as number)) * Math.max(q[i] as number, 0);
      const si = (e[i] as number) / (sigma * Math.sqrt(1 - h));
      hat[i] = h;
      s[i] = si;
      cook[i] = (si * si * h) / (rank * (1 - h));
    }
  }
}
