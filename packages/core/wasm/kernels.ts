/**
 * WebAssembly SIMD (f64x2) versions of the two hot accumulator kernels:
 * the blocked Householder annihilation of a row block against R (the `qr`
 * route, same algorithm as src/numerics/tsqr.ts + householder.ts) and the
 * upper-triangular Gram update (the `normal` route, src/numerics/blas.ts).
 *
 * AssemblyScript, compiled by `pnpm run build:wasm` (wasm/build.mjs) into the
 * base64 module src/numerics/wasm/kernels-binary.ts. The module owns no heap:
 * every argument is a byte offset into its exported memory, laid out and
 * grown by the TypeScript loader (src/numerics/wasm/kernel-memory.ts).
 *
 * ## Storage (as in the JS kernels)
 *
 * - R: k x k row-major, upper triangle used (`R[i][j]` at r + 8(i·k + j)).
 * - B, A: column-major with leading dimension LD = 128 (`B[i][j]` at
 *   b + 8(j·LD + i)); at most LD rows per call.
 *
 * ## Vectorization and rounding
 *
 * Loops over rows take two rows at a time in one f64x2 (lane 0 the even rows,
 * lane 1 the odd rows); a dot product is lane0 + lane1 (+ the last row when
 * `rows` is odd). So sums are formed in a different order than in the JS
 * kernels (which add row after row) and agree with them to rounding, not
 * bitwise; the column updates x −= Σ vᵢ uᵢ are evaluated per element in the
 * same order as in JS. Only IEEE add/sub/mul/div/sqrt are used (no relaxed
 * SIMD, no fused multiply-add), so results are deterministic on every engine.
 */

/**
 * Rows per block: every B (and A) has leading dimension LD, so a column is
 * COL bytes after the previous one and the loads of four adjacent columns use
 * constant address offsets (one pointer per loop instead of six).
 */
const LD: i32 = 128;
const COL: usize = 1024;

// Rescaling thresholds of the reflector, as in householder.ts (LAPACK dlarfg).
const SIGMA_SAFE_MIN: f64 = 1e-280;
const SIGMA_SAFE_MAX: f64 = 1e300;
const ALPHA_SAFE_MAX: f64 = 1e150;

/** Sum of both lanes. */
// @ts-ignore: decorator
@inline
function hsum(v: v128): f64 {
  return f64x2.extract_lane(v, 0) + f64x2.extract_lane(v, 1);
}

/** Σ x[i]² over `rows` entries at x. */
function sumSquares(x: usize, rows: i32): f64 {
  const evenBytes = (<usize>(rows & ~1)) << 3;
  let acc = f64x2.splat(0);
  for (let i: usize = 0; i < evenBytes; i += 16) {
    const v = v128.load(x + i);
    acc = f64x2.add(acc, f64x2.mul(v, v));
  }
  let s = hsum(acc);
  if (rows & 1) {
    const t = load<f64>(x + evenBytes);
    s += t * t;
  }
  return s;
}

/** Σ x[i]·y[i] over `rows` entries. */
function dot(x: usize, y: usize, rows: i32): f64 {
  const evenBytes = (<usize>(rows & ~1)) << 3;
  let acc = f64x2.splat(0);
  for (let i: usize = 0; i < evenBytes; i += 16) {
    acc = f64x2.add(acc, f64x2.mul(v128.load(x + i), v128.load(y + i)));
  }
  let s = hsum(acc);
  if (rows & 1) s += load<f64>(x + evenBytes) * load<f64>(y + evenBytes);
  return s;
}

/** x[i] ← x[i]·f. */
function scaleInPlace(x: usize, rows: i32, f: f64): void {
  const evenBytes = (<usize>(rows & ~1)) << 3;
  const fv = f64x2.splat(f);
  for (let i: usize = 0; i < evenBytes; i += 16) {
    v128.store(x + i, f64x2.mul(v128.load(x + i), fv));
  }
  if (rows & 1) store<f64>(x + evenBytes, load<f64>(x + evenBytes) * f);
}

/**
 * The reflector of one column (householder.ts makeReflector): reads α at `ra`
 * and x (`rows` entries at x), writes β = ‖[α; x]‖ ≥ 0 to `ra` and v_B to x,
 * returns τ (0 when H = I).
 */
function makeReflector(rows: i32, x: usize, ra: usize): f64 {
  const alpha = load<f64>(ra);
  let sigma = sumSquares(x, rows);
  let scale: f64 = 1;
  if (!(sigma <= SIGMA_SAFE_MAX) || sigma < SIGMA_SAFE_MIN || Math.abs(alpha) > ALPHA_SAFE_MAX) {
    // Rare path: rescale by the largest magnitude so σ neither overflows nor underflows.
    let amax = Math.abs(alpha);
    for (let i = 0; i < rows; i++) amax = Math.max(amax, Math.abs(load<f64>(x + ((<usize>i) << 3))));
    if (amax == 0) return 0;
    scale = amax;
    sigma = 0;
    for (let i = 0; i < rows; i++) {
      const t = load<f64>(x + ((<usize>i) << 3)) / scale;
      sigma += t * t;
    }
    if (sigma == 0) memory.fill(x, 0, (<usize>rows) << 3);
  }
  const a = alpha / scale;
  if (sigma == 0) {
    if (a >= 0) return 0;
    store<f64>(ra, -alpha);
    return 2;
  }
  const mu = Math.sqrt(a * a + sigma);
  const v1 = a <= 0 ? a - mu : -sigma / (a + mu);
  const tau = (2 * v1 * v1) / (sigma + v1 * v1);
  if (tau == 0) {
    memory.fill(x, 0, (<usize>rows) << 3);
    store<f64>(ra, mu * scale);
    return 0;
  }
  scaleInPlace(x, rows, 1 / (v1 * scale));
  store<f64>(ra, mu * scale);
  return tau;
}

/** One reflector (v = e_j ⊕ v_B at v, τ) applied to R entry `rc` and column c. */
function applyReflector(rows: i32, v: usize, c: usize, tau: f64, rc: usize): void {
  const w = (load<f64>(rc) + dot(v, c, rows)) * tau;
  store<f64>(rc, load<f64>(rc) - w);
  const evenBytes = (<usize>(rows & ~1)) << 3;
  const wv = f64x2.splat(w);
  for (let i: usize = 0; i < evenBytes; i += 16) {
    v128.store(c + i, f64x2.sub(v128.load(c + i), f64x2.mul(wv, v128.load(v + i))));
  }
  if (rows & 1) store<f64>(c + evenBytes, load<f64>(c + evenBytes) - w * load<f64>(v + evenBytes));
}

/**
 * Qᵀ = I − V Tᵀ Vᵀ of the four reflectors whose B parts are the adjacent
 * columns starting at v0, applied to columns c0..c1−1 of R (rows j0..j0+3 start at
 * r0, row stride `row` bytes) and of B (base b): W = R rows + V_Bᵀ X,
 * U = Tᵀ W, R rows −= U, X −= V_B U — two columns at a time, the 4 x 2 sums in
 * eight f64x2 registers (householder.ts applyBlockReflector4).
 */
function applyBlockReflector4(
  rows: i32,
  b: usize,
  v0: usize,
  r0: usize,
  row: usize,
  c0: i32,
  c1: i32,
  t00: f64,
  t01: f64,
  t02: f64,
  t03: f64,
  t11: f64,
  t12: f64,
  t13: f64,
  t22: f64,
  t23: f64,
  t33: f64,
): void {
  const v1 = v0 + COL;
  const v2 = v1 + COL;
  const v3 = v2 + COL;
  const r1 = r0 + row;
  const r2 = r1 + row;
  const r3 = r2 + row;
  const odd = (rows & 1) != 0;
  const evenBytes = (<usize>(rows & ~1)) << 3;
  let c = c0;
  for (; c + 1 < c1; c += 2) {
    const pa = b + (<usize>c) * COL;
    const pb = pa + COL;
    let s0a = f64x2.splat(0);
    let s1a = f64x2.splat(0);
    let s2a = f64x2.splat(0);
    let s3a = f64x2.splat(0);
    let s0b = f64x2.splat(0);
    let s1b = f64x2.splat(0);
    let s2b = f64x2.splat(0);
    let s3b = f64x2.splat(0);
    for (let pv = v0, px = pa, end = v0 + evenBytes; pv < end; pv += 16, px += 16) {
      const a0 = v128.load(pv);
      const a1 = v128.load(pv, COL);
      const a2 = v128.load(pv, 2 * COL);
      const a3 = v128.load(pv, 3 * COL);
      const xa = v128.load(px);
      const xb = v128.load(px, COL);
      s0a = f64x2.add(s0a, f64x2.mul(a0, xa));
      s1a = f64x2.add(s1a, f64x2.mul(a1, xa));
      s2a = f64x2.add(s2a, f64x2.mul(a2, xa));
      s3a = f64x2.add(s3a, f64x2.mul(a3, xa));
      s0b = f64x2.add(s0b, f64x2.mul(a0, xb));
      s1b = f64x2.add(s1b, f64x2.mul(a1, xb));
      s2b = f64x2.add(s2b, f64x2.mul(a2, xb));
      s3b = f64x2.add(s3b, f64x2.mul(a3, xb));
    }
    let d0a = hsum(s0a);
    let d1a = hsum(s1a);
    let d2a = hsum(s2a);
    let d3a = hsum(s3a);
    let d0b = hsum(s0b);
    let d1b = hsum(s1b);
    let d2b = hsum(s2b);
    let d3b = hsum(s3b);
    if (odd) {
      const a0 = load<f64>(v0 + evenBytes);
      const a1 = load<f64>(v1 + evenBytes);
      const a2 = load<f64>(v2 + evenBytes);
      const a3 = load<f64>(v3 + evenBytes);
      const xa = load<f64>(pa + evenBytes);
      const xb = load<f64>(pb + evenBytes);
      d0a += a0 * xa;
      d1a += a1 * xa;
      d2a += a2 * xa;
      d3a += a3 * xa;
      d0b += a0 * xb;
      d1b += a1 * xb;
      d2b += a2 * xb;
      d3b += a3 * xb;
    }
    const ca = (<usize>c) << 3;
    const cb = ca + 8;
    const w0a = load<f64>(r0 + ca) + d0a;
    const w1a = load<f64>(r1 + ca) + d1a;
    const w2a = load<f64>(r2 + ca) + d2a;
    const w3a = load<f64>(r3 + ca) + d3a;
    const w0b = load<f64>(r0 + cb) + d0b;
    const w1b = load<f64>(r1 + cb) + d1b;
    const w2b = load<f64>(r2 + cb) + d2b;
    const w3b = load<f64>(r3 + cb) + d3b;
    // U = Tᵀ W (Tᵀ is lower triangular).
    const u3a = t03 * w0a + t13 * w1a + t23 * w2a + t33 * w3a;
    const u2a = t02 * w0a + t12 * w1a + t22 * w2a;
    const u1a = t01 * w0a + t11 * w1a;
    const u0a = t00 * w0a;
    const u3b = t03 * w0b + t13 * w1b + t23 * w2b + t33 * w3b;
    const u2b = t02 * w0b + t12 * w1b + t22 * w2b;
    const u1b = t01 * w0b + t11 * w1b;
    const u0b = t00 * w0b;
    store<f64>(r0 + ca, load<f64>(r0 + ca) - u0a);
    store<f64>(r1 + ca, load<f64>(r1 + ca) - u1a);
    store<f64>(r2 + ca, load<f64>(r2 + ca) - u2a);
    store<f64>(r3 + ca, load<f64>(r3 + ca) - u3a);
    store<f64>(r0 + cb, load<f64>(r0 + cb) - u0b);
    store<f64>(r1 + cb, load<f64>(r1 + cb) - u1b);
    store<f64>(r2 + cb, load<f64>(r2 + cb) - u2b);
    store<f64>(r3 + cb, load<f64>(r3 + cb) - u3b);
    const q0a = f64x2.splat(u0a);
    const q1a = f64x2.splat(u1a);
    const q2a = f64x2.splat(u2a);
    const q3a = f64x2.splat(u3a);
    const q0b = f64x2.splat(u0b);
    const q1b = f64x2.splat(u1b);
    const q2b = f64x2.splat(u2b);
    const q3b = f64x2.splat(u3b);
    for (let pv = v0, px = pa, end = v0 + evenBytes; pv < end; pv += 16, px += 16) {
      const a0 = v128.load(pv);
      const a1 = v128.load(pv, COL);
      const a2 = v128.load(pv, 2 * COL);
      const a3 = v128.load(pv, 3 * COL);
      const ta = f64x2.add(
        f64x2.add(f64x2.add(f64x2.mul(a0, q0a), f64x2.mul(a1, q1a)), f64x2.mul(a2, q2a)),
        f64x2.mul(a3, q3a),
      );
      const tb = f64x2.add(
        f64x2.add(f64x2.add(f64x2.mul(a0, q0b), f64x2.mul(a1, q1b)), f64x2.mul(a2, q2b)),
        f64x2.mul(a3, q3b),
      );
      v128.store(px, f64x2.sub(v128.load(px), ta));
      v128.store(px, f64x2.sub(v128.load(px, COL), tb), COL);
    }
    if (odd) {
      const a0 = load<f64>(v0 + evenBytes);
      const a1 = load<f64>(v1 + evenBytes);
      const a2 = load<f64>(v2 + evenBytes);
      const a3 = load<f64>(v3 + evenBytes);
      store<f64>(pa + evenBytes, load<f64>(pa + evenBytes) - (a0 * u0a + a1 * u1a + a2 * u2a + a3 * u3a));
      store<f64>(pb + evenBytes, load<f64>(pb + evenBytes) - (a0 * u0b + a1 * u1b + a2 * u2b + a3 * u3b));
    }
  }
  if (c < c1) {
    const pa = b + (<usize>c) * COL;
    const ca = (<usize>c) << 3;
    const w0 = load<f64>(r0 + ca) + dot(v0, pa, rows);
    const w1 = load<f64>(r1 + ca) + dot(v1, pa, rows);
    const w2 = load<f64>(r2 + ca) + dot(v2, pa, rows);
    const w3 = load<f64>(r3 + ca) + dot(v3, pa, rows);
    const u3 = t03 * w0 + t13 * w1 + t23 * w2 + t33 * w3;
    const u2 = t02 * w0 + t12 * w1 + t22 * w2;
    const u1 = t01 * w0 + t11 * w1;
    const u0 = t00 * w0;
    store<f64>(r0 + ca, load<f64>(r0 + ca) - u0);
    store<f64>(r1 + ca, load<f64>(r1 + ca) - u1);
    store<f64>(r2 + ca, load<f64>(r2 + ca) - u2);
    store<f64>(r3 + ca, load<f64>(r3 + ca) - u3);
    const q0 = f64x2.splat(u0);
    const q1 = f64x2.splat(u1);
    const q2 = f64x2.splat(u2);
    const q3 = f64x2.splat(u3);
    for (let i: usize = 0; i < evenBytes; i += 16) {
      const t = f64x2.add(
        f64x2.add(
          f64x2.add(f64x2.mul(v128.load(v0 + i), q0), f64x2.mul(v128.load(v1 + i), q1)),
          f64x2.mul(v128.load(v2 + i), q2),
        ),
        f64x2.mul(v128.load(v3 + i), q3),
      );
      v128.store(pa + i, f64x2.sub(v128.load(pa + i), t));
    }
    if (odd) {
      const e = evenBytes;
      store<f64>(
        pa + e,
        load<f64>(pa + e) -
          (load<f64>(v0 + e) * u0 + load<f64>(v1 + e) * u1 + load<f64>(v2 + e) * u2 + load<f64>(v3 + e) * u3),
      );
    }
  }
}

/**
 * Folds `rows` ≤ LD rows of B (column-major, leading dimension LD, k columns)
 * into the k x k upper triangular R (tsqr.ts annihilateBlock): columns
 * annihilated four at a time by Householder reflectors with a non-negative
 * diagonal, each group of four applied to the trailing columns in compact WY
 * form. B is overwritten by the reflector vectors.
 *
 * With `triangularFrom` ≥ 0, B holds rows triangularFrom … of an upper
 * triangular matrix (column c nonzero only in rows ≤ c), and only that
 * nonzero part is used; −1 means B is full.
 */
export function annihilate(r: usize, k: i32, b: usize, rows: i32, triangularFrom: i32): void {
  if (rows <= 0) return;
  const row = (<usize>k) << 3;
  for (let j0 = 0; j0 < k; j0 += 4) {
    const width = min(4, k - j0);
    const panelRows = triangularFrom >= 0 ? min(rows, max(0, j0 + width - triangularFrom)) : rows;
    const jEnd = j0 + width;
    let any = false;
    let tau0: f64 = 0;
    let tau1: f64 = 0;
    let tau2: f64 = 0;
    let tau3: f64 = 0;
    for (let jj = 0; jj < width; jj++) {
      const j = j0 + jj;
      const v = b + (<usize>j) * COL;
      const rj = r + (<usize>j) * row;
      const tau = makeReflector(panelRows, v, rj + ((<usize>j) << 3));
      if (jj == 0) tau0 = tau;
      else if (jj == 1) tau1 = tau;
      else if (jj == 2) tau2 = tau;
      else tau3 = tau;
      if (tau == 0) continue;
      any = true;
      for (let c = j + 1; c < jEnd; c++) {
        applyReflector(panelRows, v, b + (<usize>c) * COL, tau, rj + ((<usize>c) << 3));
      }
    }
    if (jEnd >= k || !any) continue;
    // T of the compact WY form (householder.ts buildBlockTriangle4): Gram of v0..v3.
    const p0 = b + (<usize>j0) * COL;
    const p1 = p0 + COL;
    const p2 = p1 + COL;
    const p3 = p2 + COL;
    const evenBytes = (<usize>(panelRows & ~1)) << 3;
    let s01 = f64x2.splat(0);
    let s02 = f64x2.splat(0);
    let s03 = f64x2.splat(0);
    let s12 = f64x2.splat(0);
    let s13 = f64x2.splat(0);
    let s23 = f64x2.splat(0);
    for (let pv = p0, end = p0 + evenBytes; pv < end; pv += 16) {
      const a0 = v128.load(pv);
      const a1 = v128.load(pv, COL);
      const a2 = v128.load(pv, 2 * COL);
      const a3 = v128.load(pv, 3 * COL);
      s01 = f64x2.add(s01, f64x2.mul(a0, a1));
      s02 = f64x2.add(s02, f64x2.mul(a0, a2));
      s03 = f64x2.add(s03, f64x2.mul(a0, a3));
      s12 = f64x2.add(s12, f64x2.mul(a1, a2));
      s13 = f64x2.add(s13, f64x2.mul(a1, a3));
      s23 = f64x2.add(s23, f64x2.mul(a2, a3));
    }
    let g01 = hsum(s01);
    let g02 = hsum(s02);
    let g03 = hsum(s03);
    let g12 = hsum(s12);
    let g13 = hsum(s13);
    let g23 = hsum(s23);
    if (panelRows & 1) {
      const a0 = load<f64>(p0 + evenBytes);
      const a1 = load<f64>(p1 + evenBytes);
      const a2 = load<f64>(p2 + evenBytes);
      const a3 = load<f64>(p3 + evenBytes);
      g01 += a0 * a1;
      g02 += a0 * a2;
      g03 += a0 * a3;
      g12 += a1 * a2;
      g13 += a1 * a3;
      g23 += a2 * a3;
    }
    const t01 = -tau1 * tau0 * g01;
    const t02 = -tau2 * (tau0 * g02 + t01 * g12);
    const t12 = -tau2 * (tau1 * g12);
    const t03 = -tau3 * (tau0 * g03 + t01 * g13 + t02 * g23);
    const t13 = -tau3 * (tau1 * g13 + t12 * g23);
    const t23 = -tau3 * (tau2 * g23);
    applyBlockReflector4(
      panelRows,
      b,
      p0,
      r + (<usize>j0) * row,
      row,
      jEnd,
      k,
      tau0,
      t01,
      t02,
      t03,
      tau1,
      t12,
      t13,
      tau2,
      t23,
      tau3,
    );
  }
}

/**
 * C[i][j] += Σ_r A[r][i]·A[r][j] for 0 ≤ i ≤ j < q (blas.ts syrkUpperAdd):
 * A column-major (leading dimension LD, `rows` ≤ LD) with zero padding
 * columns up to a multiple of 4, C row-major (leading dimension ldc), upper triangle only.
 * 4 x 2 blocks of C with their sums in eight f64x2 registers.
 */
export function syrkUpperAdd(rows: i32, q: i32, a: usize, c: usize, ldc: i32): void {
  const crow = (<usize>ldc) << 3;
  const odd = (rows & 1) != 0;
  const evenBytes = (<usize>(rows & ~1)) << 3;
  for (let i0 = 0; i0 < q; i0 += 4) {
    const p0 = a + (<usize>i0) * COL;
    const p1 = p0 + COL;
    const p2 = p1 + COL;
    const p3 = p2 + COL;
    for (let j0 = i0; j0 < q; j0 += 2) {
      const pa = a + (<usize>j0) * COL;
      const pb = pa + COL;
      let s0a = f64x2.splat(0);
      let s1a = f64x2.splat(0);
      let s2a = f64x2.splat(0);
      let s3a = f64x2.splat(0);
      let s0b = f64x2.splat(0);
      let s1b = f64x2.splat(0);
      let s2b = f64x2.splat(0);
      let s3b = f64x2.splat(0);
      for (let pi = p0, px = pa, end = p0 + evenBytes; pi < end; pi += 16, px += 16) {
        const xa = v128.load(px);
        const xb = v128.load(px, COL);
        const a0 = v128.load(pi);
        const a1 = v128.load(pi, COL);
        const a2 = v128.load(pi, 2 * COL);
        const a3 = v128.load(pi, 3 * COL);
        s0a = f64x2.add(s0a, f64x2.mul(a0, xa));
        s1a = f64x2.add(s1a, f64x2.mul(a1, xa));
        s2a = f64x2.add(s2a, f64x2.mul(a2, xa));
        s3a = f64x2.add(s3a, f64x2.mul(a3, xa));
        s0b = f64x2.add(s0b, f64x2.mul(a0, xb));
        s1b = f64x2.add(s1b, f64x2.mul(a1, xb));
        s2b = f64x2.add(s2b, f64x2.mul(a2, xb));
        s3b = f64x2.add(s3b, f64x2.mul(a3, xb));
      }
      let d0a = hsum(s0a);
      let d1a = hsum(s1a);
      let d2a = hsum(s2a);
      let d3a = hsum(s3a);
      let d0b = hsum(s0b);
      let d1b = hsum(s1b);
      let d2b = hsum(s2b);
      let d3b = hsum(s3b);
      if (odd) {
        const xa = load<f64>(pa + evenBytes);
        const xb = load<f64>(pb + evenBytes);
        const a0 = load<f64>(p0 + evenBytes);
        const a1 = load<f64>(p1 + evenBytes);
        const a2 = load<f64>(p2 + evenBytes);
        const a3 = load<f64>(p3 + evenBytes);
        d0a += a0 * xa;
        d1a += a1 * xa;
        d2a += a2 * xa;
        d3a += a3 * xa;
        d0b += a0 * xb;
        d1b += a1 * xb;
        d2b += a2 * xb;
        d3b += a3 * xb;
      }
      const ja = j0;
      const jb = j0 + 1;
      if (ja < q) {
        const o = c + (<usize>i0) * crow + ((<usize>ja) << 3);
        store<f64>(o, load<f64>(o) + d0a);
        if (i0 + 1 <= ja) store<f64>(o + crow, load<f64>(o + crow) + d1a);
        if (i0 + 2 <= ja) store<f64>(o + 2 * crow, load<f64>(o + 2 * crow) + d2a);
        if (i0 + 3 <= ja) store<f64>(o + 3 * crow, load<f64>(o + 3 * crow) + d3a);
      }
      if (jb < q) {
        const o = c + (<usize>i0) * crow + ((<usize>jb) << 3);
        store<f64>(o, load<f64>(o) + d0b);
        if (i0 + 1 <= jb) store<f64>(o + crow, load<f64>(o + crow) + d1b);
        if (i0 + 2 <= jb) store<f64>(o + 2 * crow, load<f64>(o + 2 * crow) + d2b);
        if (i0 + 3 <= jb) store<f64>(o + 3 * crow, load<f64>(o + 3 * crow) + d3b);
      }
    }
  }
}

/** The leading dimension (rows per block) every B and A must use. */
export function blockRows(): i32 {
  return LD;
}
