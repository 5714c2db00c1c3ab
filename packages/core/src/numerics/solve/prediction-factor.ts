/**
 * The triangular factor that prediction standard errors are computed from.
 *
 * ## Why not the covariance
 *
 * se.fit = σ̂ √(xᵀ(XᵀWX)⁻¹x). Formed as Σⱼₖ Cⱼₖ xⱼ xₖ from C = (XᵀWX)⁻¹ in the
 * user's units, the terms are as large as |x|ᵀ|C||x| and cancel down to
 * xᵀCx: on longley with a quadratic time trend (raw κ ≈ 8e11) that leaves
 * 5 of 16 digits. R's predict.lm instead takes ‖R⁻ᵀx‖² with the triangular
 * factor R of the kept columns: a sum of squares, nothing cancels, and an
 * entrywise-accurate R perturbs it by only about κ_s·ε relative (κ_s the
 * condition number with unit-norm columns) — 10+ digits there.
 *
 * ## What is kept
 *
 * The factor of the kept (identified) design columns K, scaled to unit-norm
 * columns, A = R_K D⁻¹ with D = diag(‖X_j‖_W), and D itself: then
 * xᵀ(X_KᵀWX_K)⁻¹x = ‖A⁻ᵀ(D⁻¹x_K)‖². The scaling keeps the stored numbers
 * O(1) whatever the units; it does not change the rounding of the triangular
 * solve (forward substitution is componentwise backward stable).
 */

/** A = R_K D⁻¹ of the kept design columns (non-negative diagonal), and D. */
export interface PredictionFactor {
  /** Kept design columns, ascending (all m when nothing is aliased). */
  readonly columns: readonly number[];
  /** D: the weighted norm of each kept column (1 for an all-zero one), length q. */
  readonly scales: Float64Array;
  /** A: q × q row-major, upper triangular, unit-norm columns. */
  readonly r: Float64Array;
}

/**
 * From the leading q × q block of an upper-triangular t (leading dimension
 * ld) whose columns are the design columns `columns`: its column norms are
 * the design columns' norms, since R_K = Qᵀ(W^½X_K).
 */
export function predictionFactor(
  t: Float64Array,
  ld: number,
  columns: readonly number[],
): PredictionFactor {
  const q = columns.length;
  const scales = new Float64Array(q);
  const r = new Float64Array(q * q);
  // Row signs: a small QR (the kept columns' factor) may leave a negative diagonal;
  // negating a row of R keeps RᵀR, and gives the accumulator's canonical form.
  const sign = new Float64Array(q);
  for (let i = 0; i < q; i++) sign[i] = t[i * ld + i] < 0 ? -1 : 1;
  // Row by row (t is row-major; a column at a time strides ld doubles per entry), each
  // column's sum of squares still over i = 0, 1, …, j in order: the bits of the column loop.
  const big = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++)
      big[j] = Math.max(big[j] as number, Math.abs(t[i * ld + j] as number));
  }
  const ss = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) {
      const b = big[j] as number;
      if (b > 0) ss[j] = (ss[j] as number) + ((t[i * ld + j] as number) / b) ** 2;
    }
  }
  for (let j = 0; j < q; j++) {
    const b = big[j] as number;
    scales[j] = b > 0 ? b * Math.sqrt(ss[j] as number) : 1;
  }
  for (let i = 0; i < q; i++) {
    const s = sign[i] as number;
    for (let j = i; j < q; j++)
      r[i * q + j] = (s * (t[i * ld + j] as number)) / (scales[j] as number);
  }
  return { columns: [...columns], scales, r };
}
