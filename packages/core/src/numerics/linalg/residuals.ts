/**
 * Residuals r = y − Xβ of `len` rows of a design batch from row `start`, in
 * double precision, column after column (β_j = 0 skipped): the passes at a
 * fixed β (robust-SE meat, diagnostics) share this loop so they see the same
 * residual bits. β is in design order, the intercept first when there is one.
 */
import type { DesignBatch } from '../types.js';

export function chunkResiduals(
  batch: DesignBatch,
  start: number,
  len: number,
  beta: Float64Array,
  intercept: boolean,
  r: Float64Array,
): void {
  const y = batch.y;
  const b0 = intercept ? beta[0] : 0;
  for (let t = 0; t < len; t++) r[t] = y[start + t] - b0;
  const i0 = intercept ? 1 : 0;
  for (let j = 0; j < batch.x.length; j++) {
    const bj = beta[j + i0];
    if (bj === 0) continue;
    const col = batch.x[j];
    for (let t = 0; t < len; t++) r[t] -= bj * col[start + t];
  }
}
