/**
 * Householder reflections for annihilating a block of rows B against an upper
 * triangular R, i.e. the QR factorization of the stacked matrix [R; B]
 * (the "triangular-pentagonal" QR of LAPACK's dtpqrt / dtpqrt2 / dtprfb).
 *
 * ## Storage
 *
 * - R: k x k row-major (`r[i*ldr + j]`), only the upper triangle is read or written.
 * - B: column-major with leading dimension `ldb` (`b[j*ldb + i]`, column j
 *   contiguous), `rows` rows used. After a column j is annihilated, B's column j
 *   holds the tail of its Householder vector (LAPACK's convention).
 *
 * ## Reflector for column j
 *
 * Because R is upper triangular, the entries of column j below R[j][j] are
 * zero, so the reflector only touches row j of R and the rows of B:
 * H = I − τ v vᵀ with v = e_j (in R) ⊕ v_B (in B). With α = R[j][j] and
 * x = B[:, j], H [α; x] = [β; 0].
 *
 * Sign convention: β = ‖[α; x]‖₂ ≥ 0 always, so R keeps a non-negative
 * diagonal and is unique when it has full rank (any batching or merge order
 * gives the same R up to rounding, not up to row signs). To avoid cancellation
 * in v₁ = α − β when α > 0 we use Parlett's formula v₁ = −σ / (α + β),
 * σ = ‖x‖², as in Golub & Van Loan, Matrix Computations (4th ed.), Alg. 5.1.1;
 * then v = [1; x / v₁] and τ = 2 v₁² / (σ + v₁²).
 *
 * ## Compact WY (Schreiber & Van Loan 1989)
 *
 * Four consecutive reflectors H₀H₁H₂H₃ = I − V T Vᵀ, T upper triangular 4 x 4
 * with T[i][i] = τᵢ and T[0:i, i] = −τᵢ T[0:i, 0:i] (Vᵀ vᵢ)[0:i] (LAPACK dlarft,
 * forward, columnwise). The R parts of the vᵢ are distinct unit vectors, so
 * Vᵀvᵢ only involves the B parts. Applying Qᵀ = I − V Tᵀ Vᵀ to the trailing
 * columns [R_t; B_t] is then matrix-matrix work:
 *   W = R_t[j0:j0+4, :] + V_Bᵀ B_t;  W ← Tᵀ W;  R_t[j0:j0+4, :] −= W;  B_t −= V_B W,
 * done two columns at a time with W in registers (a 4 x 2 register block).
 */

/**
 * Outside [SIGMA_SAFE_MIN, SIGMA_SAFE_MAX] (or for |α| > ALPHA_SAFE_MAX) σ, α²
 * or v₁² may underflow or overflow, so the reflector is computed from data
 * rescaled by its largest magnitude (LAPACK's dlarfg rescales likewise).
 */
const SIGMA_SAFE_MIN = 1e-280;
const SIGMA_SAFE_MAX = 1e300;
const ALPHA_SAFE_MAX = 1e150;

/**
 * Generates the reflector for one column: reads α = r[ia] and x =
 * b[off .. off+rows), writes β into r[ia] and v_B into x, returns τ
 * (0 when H = I, i.e. x = 0 and α ≥ 0).
 */
export function makeReflector(
  rows: number,
  b: Float64Array,
  off: number,
  r: Float64Array,
  ia: number,
): number {
  const alpha = r[ia];
  let sigma = 0;
  for (let i = off, end = off + rows; i < end; i++) {
    const t = b[i];
    sigma += t * t;
  }
  let scale = 1;
  if (!(sigma <= SIGMA_SAFE_MAX) || sigma < SIGMA_SAFE_MIN || Math.abs(alpha) > ALPHA_SAFE_MAX) {
    // Rare path: rescale by the largest magnitude so σ neither overflows nor underflows.
    let amax = Math.abs(alpha);
    for (let i = off, end = off + rows; i < end; i++) amax = Math.max(amax, Math.abs(b[i]));
    if (amax === 0) return 0;
    scale = amax;
    sigma = 0;
    for (let i = off, end = off + rows; i < end; i++) {
      const t = b[i] / scale;
      sigma += t * t;
    }
    // x is negligible next to α: treat it as the zero vector it rounds to.
    if (sigma === 0) b.fill(0, off, off + rows);
  }
  const a = alpha / scale;
  if (sigma === 0) {
    if (a >= 0) return 0;
    // x = 0 but α < 0: reflect e_j to flip the sign (τ = 2, v_B = 0).
    r[ia] = -alpha;
    return 2;
  }
  const mu = Math.sqrt(a * a + sigma);
  const v1 = a <= 0 ? a - mu : -sigma / (a + mu);
  const tau = (2 * v1 * v1) / (sigma + v1 * v1);
  if (tau === 0) {
    // ‖x‖ is below rounding of α (v₁² underflowed): H = I to working precision.
    // Store a zero vector so the compact-WY T never multiplies 0 by a huge v.
    b.fill(0, off, off + rows);
    r[ia] = mu * scale;
    return 0;
  }
  // v_B = x / (v₁·scale), dividing by the scale and by v₁ separately: for a
  // subnormal scale v₁·scale underflows and 1/(v₁·scale) overflows, and x·∞
  // gave NaN. That happens in practice: folding the first block of rows into
  // the zero R of a design wider than the block leaves rounding noise in the
  // block's trailing columns that each reflector shrinks, subnormal by column
  // ~2,700 (a p = 3,000 or 4,000 fit failed with "R[2557][2718] = NaN").
  // With scale = 1 the bits are those of x·(1/v₁) as before.
  const inv = 1 / v1;
  if (scale === 1) {
    for (let i = off, end = off + rows; i < end; i++) b[i] *= inv;
  } else {
    for (let i = off, end = off + rows; i < end; i++) b[i] = (b[i] / scale) * inv;
  }
  r[ia] = mu * scale;
  return tau;
}

/**
 * Applies one reflector (v = e_j ⊕ b[vOff..], τ) to one column: R entry r[ir]
 * (row j of R in that column) and B column b[cOff..].
 */
export function applyReflector(
  rows: number,
  b: Float64Array,
  vOff: number,
  cOff: number,
  tau: number,
  r: Float64Array,
  ir: number,
): void {
  let w = r[ir];
  for (let i = 0; i < rows; i++) w += b[vOff + i] * b[cOff + i];
  w *= tau;
  r[ir] -= w;
  for (let i = 0; i < rows; i++) b[cOff + i] -= w * b[vOff + i];
}

/**
 * Builds the 4 x 4 upper triangular T (row-major into `t`) of the compact WY
 * form of the reflectors stored in B columns j0..j0+3 with factors taus[0..3].
 */
export function buildBlockTriangle4(
  rows: number,
  b: Float64Array,
  ldb: number,
  j0: number,
  taus: Float64Array,
  t: Float64Array,
): void {
  const p0 = j0 * ldb;
  const p1 = p0 + ldb;
  const p2 = p1 + ldb;
  const p3 = p2 + ldb;
  // Gram of the B parts of v0..v3 (strict upper part only).
  let g01 = 0;
  let g02 = 0;
  let g03 = 0;
  let g12 = 0;
  let g13 = 0;
  let g23 = 0;
  for (let i = 0; i < rows; i++) {
    const a0 = b[p0 + i];
    const a1 = b[p1 + i];
    const a2 = b[p2 + i];
    const a3 = b[p3 + i];
    g01 += a0 * a1;
    g02 += a0 * a2;
    g03 += a0 * a3;
    g12 += a1 * a2;
    g13 += a1 * a3;
    g23 += a2 * a3;
  }
  const t0 = taus[0];
  const t1 = taus[1];
  const t2 = taus[2];
  const t3 = taus[3];
  t.fill(0, 0, 16);
  t[0] = t0;
  t[5] = t1;
  t[10] = t2;
  t[15] = t3;
  // Column 1: T[0][1] = −τ1 T[0][0] g01.
  t[1] = -t1 * t0 * g01;
  // Column 2: T[0:2][2] = −τ2 T[0:2][0:2] [g02; g12].
  t[2] = -t2 * (t[0] * g02 + t[1] * g12);
  t[6] = -t2 * (t[5] * g12);
  // Column 3.
  t[3] = -t3 * (t[0] * g03 + t[1] * g13 + t[2] * g23);
  t[7] = -t3 * (t[5] * g13 + t[6] * g23);
  t[11] = -t3 * (t[10] * g23);
}

/**
 * Applies Qᵀ = I − V Tᵀ Vᵀ (the four reflectors of columns j0..j0+3, V's B
 * parts in B columns j0..j0+3) to the trailing columns c0..c1−1 of R (rows
 * j0..j0+3) and of B.
 */
export function applyBlockReflector4(
  rows: number,
  b: Float64Array,
  ldb: number,
  j0: number,
  t: Float64Array,
  r: Float64Array,
  ldr: number,
  c0: number,
  c1: number,
): void {
  const v0 = j0 * ldb;
  const v1 = v0 + ldb;
  const v2 = v1 + ldb;
  const v3 = v2 + ldb;
  const t00 = t[0];
  const t01 = t[1];
  const t02 = t[2];
  const t03 = t[3];
  const t11 = t[5];
  const t12 = t[6];
  const t13 = t[7];
  const t22 = t[10];
  const t23 = t[11];
  const t33 = t[15];
  const r0 = j0 * ldr;
  const r1 = r0 + ldr;
  const r2 = r1 + ldr;
  const r3 = r2 + ldr;
  let c = c0;
  for (; c + 1 < c1; c += 2) {
    const pa = c * ldb;
    const pb = pa + ldb;
    // W = R rows + V_Bᵀ B (two columns a, b).
    let w0a = r[r0 + c];
    let w1a = r[r1 + c];
    let w2a = r[r2 + c];
    let w3a = r[r3 + c];
    let w0b = r[r0 + c + 1];
    let w1b = r[r1 + c + 1];
    let w2b = r[r2 + c + 1];
    let w3b = r[r3 + c + 1];
    for (let i = 0; i < rows; i++) {
      const a0 = b[v0 + i];
      const a1 = b[v1 + i];
      const a2 = b[v2 + i];
      const a3 = b[v3 + i];
      const xa = b[pa + i];
      const xb = b[pb + i];
      w0a += a0 * xa;
      w1a += a1 * xa;
      w2a += a2 * xa;
      w3a += a3 * xa;
      w0b += a0 * xb;
      w1b += a1 * xb;
      w2b += a2 * xb;
      w3b += a3 * xb;
    }
    // W ← Tᵀ W (Tᵀ is lower triangular).
    const u3a = t03 * w0a + t13 * w1a + t23 * w2a + t33 * w3a;
    const u2a = t02 * w0a + t12 * w1a + t22 * w2a;
    const u1a = t01 * w0a + t11 * w1a;
    const u0a = t00 * w0a;
    const u3b = t03 * w0b + t13 * w1b + t23 * w2b + t33 * w3b;
    const u2b = t02 * w0b + t12 * w1b + t22 * w2b;
    const u1b = t01 * w0b + t11 * w1b;
    const u0b = t00 * w0b;
    r[r0 + c] -= u0a;
    r[r1 + c] -= u1a;
    r[r2 + c] -= u2a;
    r[r3 + c] -= u3a;
    r[r0 + c + 1] -= u0b;
    r[r1 + c + 1] -= u1b;
    r[r2 + c + 1] -= u2b;
    r[r3 + c + 1] -= u3b;
    // B −= V_B W.
    for (let i = 0; i < rows; i++) {
      const a0 = b[v0 + i];
      const a1 = b[v1 + i];
      const a2 = b[v2 + i];
      const a3 = b[v3 + i];
      b[pa + i] -= a0 * u0a + a1 * u1a + a2 * u2a + a3 * u3a;
      b[pb + i] -= a0 * u0b + a1 * u1b + a2 * u2b + a3 * u3b;
    }
  }
  if (c < c1) {
    const pa = c * ldb;
    let w0 = r[r0 + c];
    let w1 = r[r1 + c];
    let w2 = r[r2 + c];
    let w3 = r[r3 + c];
    for (let i = 0; i < rows; i++) {
      const x = b[pa + i];
      w0 += b[v0 + i] * x;
      w1 += b[v1 + i] * x;
      w2 += b[v2 + i] * x;
      w3 += b[v3 + i] * x;
    }
    const u3 = t03 * w0 + t13 * w1 + t23 * w2 + t33 * w3;
    const u2 = t02 * w0 + t12 * w1 + t22 * w2;
    const u1 = t01 * w0 + t11 * w1;
    const u0 = t00 * w0;
    r[r0 + c] -= u0;
    r[r1 + c] -= u1;
    r[r2 + c] -= u2;
    r[r3 + c] -= u3;
    for (let i = 0; i < rows; i++) {
      b[pa + i] -= b[v0 + i] * u0 + b[v1 + i] * u1 + b[v2 + i] * u2 + b[v3 + i] * u3;
    }
  }
}
