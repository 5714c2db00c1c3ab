/**
 * WebAssembly SIMD (f64x2) versions of the two hot accumulator kernels:
 * the blocked Householder annihilation of a row block against R (the `qr`
 * route, src/numerics/tsqr.ts + householder.ts) and the upper-triangular Gram
 * update (the `normal` route, src/numerics/blas.ts), computing bit for bit
 * what the JS kernels compute.
 *
 * Entry points: `qrSlab` and `gramSlab` do the whole update of one slab of a
 * batch (form each block of rows — intercept column, √w scaling, centering —
 * and fold it in), so R or C stays in module memory for a whole batch;
 * `annihilate` and `syrkUpperAdd` are the block kernels themselves.
 *
 * AssemblyScript, compiled by `pnpm run build:wasm` (wasm/build.mjs) into the
 * base64 module src/numerics/wasm/kernels-binary.ts. The module owns no heap:
 * every argument is a byte offset into its exported memory, laid out and
 * grown by the TypeScript loader (src/numerics/wasm/kernel-module.ts).
 *
 * ## Storage
 *
 * - R, C: row-major (`R[i][j]` at r + 8(i·k + j)), upper triangle used.
 * - B, A (a block of rows): ROW-major with a row stride of `s` bytes
 *   (`B[i][j]` at b + i·s + 8j), unlike the JS kernels' column-major blocks.
 *
 * ## Why row-major: the same bits as the JS path
 *
 * Every reduction in these kernels runs over rows, and the JS kernels add row
 * after row into one sum per column (or per entry of C). With rows
 * contiguous, an f64x2 holds two adjacent COLUMNS of one row, so each lane
 * carries exactly the sum the JS code forms for its column, in the same
 * order, from the same first value; the reflectors, T and the column updates
 * use the same expressions in the same order. Only IEEE add/sub/mul/div/sqrt
 * are used — no fused multiply-add, no relaxed SIMD, no reassociation
 * (Binaryen keeps IEEE semantics) — so the result is bitwise equal to the JS
 * kernels' on every engine, and deterministic.
 *
 * Register blocking: the trailing update and the Gram take four columns (two
 * f64x2) against four reflectors (or four rows of C) per pass, eight f64x2
 * sums live in registers, six loads per 32 flops.
 */

// Rescaling thresholds of the reflector, as in householder.ts (LAPACK dlarfg).
const SIGMA_SAFE_MIN: f64 = 1e-280;
const SIGMA_SAFE_MAX: f64 = 1e300;
const ALPHA_SAFE_MAX: f64 = 1e150;

/**
 * The reflector of one column (householder.ts makeReflector): reads α at `ra`
 * and x (`rows` entries from x, stride s bytes), writes β = ‖[α; x]‖ ≥ 0 to
 * `ra` and v_B over x, returns τ (0 when H = I).
 */
function makeReflector(rows: i32, x: usize, s: usize, ra: usize): f64 {
  const alpha = load<f64>(ra);
  const end = x + (<usize>rows) * s;
  let sigma: f64 = 0;
  for (let p = x; p < end; p += s) {
    const t = load<f64>(p);
    sigma += t * t;
  }
  let scale: f64 = 1;
  if (!(sigma <= SIGMA_SAFE_MAX) || sigma < SIGMA_SAFE_MIN || Math.abs(alpha) > ALPHA_SAFE_MAX) {
    // Rare path: rescale by the largest magnitude so σ neither overflows nor underflows.
    let amax = Math.abs(alpha);
    for (let p = x; p < end; p += s) amax = Math.max(amax, Math.abs(load<f64>(p)));
    if (amax == 0) return 0;
    scale = amax;
    sigma = 0;
    for (let p = x; p < end; p += s) {
      const t = load<f64>(p) / scale;
      sigma += t * t;
    }
    if (sigma == 0) for (let p = x; p < end; p += s) store<f64>(p, 0);
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
    for (let p = x; p < end; p += s) store<f64>(p, 0);
    store<f64>(ra, mu * scale);
    return 0;
  }
  // Divide by the scale and by v₁ separately: v₁·scale underflows (1/it overflows) for a subnormal scale.
  const inv = 1 / v1;
  if (scale == 1) {
    for (let p = x; p < end; p += s) store<f64>(p, load<f64>(p) * inv);
  } else {
    for (let p = x; p < end; p += s) store<f64>(p, (load<f64>(p) / scale) * inv);
  }
  store<f64>(ra, mu * scale);
  return tau;
}

/**
 * One reflector (v = e_j ⊕ v_B at v, τ) applied to R entry `rc` and column c
 * (householder.ts applyReflector).
 */
function applyReflector(rows: i32, v: usize, c: usize, s: usize, tau: f64, rc: usize): void {
  const n = (<usize>rows) * s;
  let w = load<f64>(rc);
  for (let o: usize = 0; o < n; o += s) w += load<f64>(v + o) * load<f64>(c + o);
  w *= tau;
  store<f64>(rc, load<f64>(rc) - w);
  for (let o: usize = 0; o < n; o += s) store<f64>(c + o, load<f64>(c + o) - w * load<f64>(v + o));
}

/**
 * Within a panel: reflector j (v_B from v, τ) applied to the `count` ≤ 3
 * columns after it (from x) and their R entries (from rc) — applyReflector
 * on each, with the column sums formed in one pass so their dependency
 * chains overlap.
 */
function applyReflectorInPanel(
  rows: i32,
  v: usize,
  x: usize,
  count: i32,
  s: usize,
  tau: f64,
  rc: usize,
): void {
  if (count == 1) {
    applyReflector(rows, v, x, s, tau, rc);
    return;
  }
  const n = (<usize>rows) * s;
  let w0 = load<f64>(rc);
  let w1 = load<f64>(rc, 8);
  if (count == 2) {
    for (let o: usize = 0; o < n; o += s) {
      const a = load<f64>(v + o);
      w0 += a * load<f64>(x + o);
      w1 += a * load<f64>(x + o, 8);
    }
    w0 *= tau;
    w1 *= tau;
    store<f64>(rc, load<f64>(rc) - w0);
    store<f64>(rc, load<f64>(rc, 8) - w1, 8);
    for (let o: usize = 0; o < n; o += s) {
      const a = load<f64>(v + o);
      store<f64>(x + o, load<f64>(x + o) - w0 * a);
      store<f64>(x + o, load<f64>(x + o, 8) - w1 * a, 8);
    }
    return;
  }
  let w2 = load<f64>(rc, 16);
  for (let o: usize = 0; o < n; o += s) {
    const a = load<f64>(v + o);
    w0 += a * load<f64>(x + o);
    w1 += a * load<f64>(x + o, 8);
    w2 += a * load<f64>(x + o, 16);
  }
  w0 *= tau;
  w1 *= tau;
  w2 *= tau;
  store<f64>(rc, load<f64>(rc) - w0);
  store<f64>(rc, load<f64>(rc, 8) - w1, 8);
  store<f64>(rc, load<f64>(rc, 16) - w2, 16);
  for (let o: usize = 0; o < n; o += s) {
    const a = load<f64>(v + o);
    store<f64>(x + o, load<f64>(x + o) - w0 * a);
    store<f64>(x + o, load<f64>(x + o, 8) - w1 * a, 8);
    store<f64>(x + o, load<f64>(x + o, 16) - w2 * a, 16);
  }
}

/**
 * One reflector (v_B from v, τ) applied to columns c0..c1−1 of B (row 0 at
 * b) and their R entries (R's row at r): applyReflector on each column, eight
 * columns (four f64x2) at a time.
 */
function applyReflectorToColumns(
  rows: i32,
  v: usize,
  b: usize,
  s: usize,
  c0: i32,
  c1: i32,
  tau: f64,
  r: usize,
): void {
  const n = (<usize>rows) * s;
  const tv = f64x2.splat(tau);
  let c = c0;
  for (; c + 7 < c1; c += 8) {
    const rc = r + ((<usize>c) << 3);
    const x = b + ((<usize>c) << 3);
    let w0 = v128.load(rc);
    let w1 = v128.load(rc, 16);
    let w2 = v128.load(rc, 32);
    let w3 = v128.load(rc, 48);
    for (let o: usize = 0; o < n; o += s) {
      const a = v128.load64_splat(v + o);
      const p = x + o;
      w0 = f64x2.add(w0, f64x2.mul(a, v128.load(p)));
      w1 = f64x2.add(w1, f64x2.mul(a, v128.load(p, 16)));
      w2 = f64x2.add(w2, f64x2.mul(a, v128.load(p, 32)));
      w3 = f64x2.add(w3, f64x2.mul(a, v128.load(p, 48)));
    }
    w0 = f64x2.mul(w0, tv);
    w1 = f64x2.mul(w1, tv);
    w2 = f64x2.mul(w2, tv);
    w3 = f64x2.mul(w3, tv);
    v128.store(rc, f64x2.sub(v128.load(rc), w0));
    v128.store(rc, f64x2.sub(v128.load(rc, 16), w1), 16);
    v128.store(rc, f64x2.sub(v128.load(rc, 32), w2), 32);
    v128.store(rc, f64x2.sub(v128.load(rc, 48), w3), 48);
    for (let o: usize = 0; o < n; o += s) {
      const a = v128.load64_splat(v + o);
      const p = x + o;
      v128.store(p, f64x2.sub(v128.load(p), f64x2.mul(w0, a)));
      v128.store(p, f64x2.sub(v128.load(p, 16), f64x2.mul(w1, a)), 16);
      v128.store(p, f64x2.sub(v128.load(p, 32), f64x2.mul(w2, a)), 32);
      v128.store(p, f64x2.sub(v128.load(p, 48), f64x2.mul(w3, a)), 48);
    }
  }
  for (; c + 1 < c1; c += 2) {
    const rc = r + ((<usize>c) << 3);
    const x = b + ((<usize>c) << 3);
    let w = v128.load(rc);
    for (let o: usize = 0; o < n; o += s) {
      w = f64x2.add(w, f64x2.mul(v128.load64_splat(v + o), v128.load(x + o)));
    }
    w = f64x2.mul(w, tv);
    v128.store(rc, f64x2.sub(v128.load(rc), w));
    for (let o: usize = 0; o < n; o += s) {
      v128.store(x + o, f64x2.sub(v128.load(x + o), f64x2.mul(w, v128.load64_splat(v + o))));
    }
  }
  if (c < c1) applyReflector(rows, v, b + ((<usize>c) << 3), s, tau, r + ((<usize>c) << 3));
}

/**
 * Qᵀ = I − V Tᵀ Vᵀ of the four reflectors whose B parts are columns
 * j0..j0+3 (v0 = address of B[0][j0]) applied to columns c0..c1−1 of R (rows
 * j0..j0+3, row j0 at r0, row stride `rs` bytes) and of B (row 0 at b):
 * W = R rows + V_Bᵀ X, U = Tᵀ W, R rows −= U, X −= V_B U
 * (householder.ts applyBlockReflector4), four columns at a time.
 */
function applyBlockReflector4(
  rows: i32,
  b: usize,
  s: usize,
  v0: usize,
  r0: usize,
  rs: usize,
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
  const n = (<usize>rows) * s;
  const r1 = r0 + rs;
  const r2 = r1 + rs;
  const r3 = r2 + rs;
  const T00 = f64x2.splat(t00);
  const T01 = f64x2.splat(t01);
  const T02 = f64x2.splat(t02);
  const T03 = f64x2.splat(t03);
  const T11 = f64x2.splat(t11);
  const T12 = f64x2.splat(t12);
  const T13 = f64x2.splat(t13);
  const T22 = f64x2.splat(t22);
  const T23 = f64x2.splat(t23);
  const T33 = f64x2.splat(t33);
  let c = c0;
  for (; c + 3 < c1; c += 4) {
    const cb = (<usize>c) << 3;
    const x = b + cb;
    // W: rows j0..j0+3 of R in columns c..c+3 (a: c, c+1; b: c+2, c+3) plus V_Bᵀ X.
    let w0a = v128.load(r0 + cb);
    let w1a = v128.load(r1 + cb);
    let w2a = v128.load(r2 + cb);
    let w3a = v128.load(r3 + cb);
    let w0b = v128.load(r0 + cb, 16);
    let w1b = v128.load(r1 + cb, 16);
    let w2b = v128.load(r2 + cb, 16);
    let w3b = v128.load(r3 + cb, 16);
    for (let pv = v0, px = x, end = v0 + n; pv < end; pv += s, px += s) {
      const a0 = v128.load64_splat(pv);
      const a1 = v128.load64_splat(pv, 8);
      const a2 = v128.load64_splat(pv, 16);
      const a3 = v128.load64_splat(pv, 24);
      const xa = v128.load(px);
      const xb = v128.load(px, 16);
      w0a = f64x2.add(w0a, f64x2.mul(a0, xa));
      w1a = f64x2.add(w1a, f64x2.mul(a1, xa));
      w2a = f64x2.add(w2a, f64x2.mul(a2, xa));
      w3a = f64x2.add(w3a, f64x2.mul(a3, xa));
      w0b = f64x2.add(w0b, f64x2.mul(a0, xb));
      w1b = f64x2.add(w1b, f64x2.mul(a1, xb));
      w2b = f64x2.add(w2b, f64x2.mul(a2, xb));
      w3b = f64x2.add(w3b, f64x2.mul(a3, xb));
    }
    // U = Tᵀ W (Tᵀ is lower triangular), the JS expressions lane by lane.
    const u3a = f64x2.add(
      f64x2.add(f64x2.add(f64x2.mul(T03, w0a), f64x2.mul(T13, w1a)), f64x2.mul(T23, w2a)),
      f64x2.mul(T33, w3a),
    );
    const u2a = f64x2.add(f64x2.add(f64x2.mul(T02, w0a), f64x2.mul(T12, w1a)), f64x2.mul(T22, w2a));
    const u1a = f64x2.add(f64x2.mul(T01, w0a), f64x2.mul(T11, w1a));
    const u0a = f64x2.mul(T00, w0a);
    const u3b = f64x2.add(
      f64x2.add(f64x2.add(f64x2.mul(T03, w0b), f64x2.mul(T13, w1b)), f64x2.mul(T23, w2b)),
      f64x2.mul(T33, w3b),
    );
    const u2b = f64x2.add(f64x2.add(f64x2.mul(T02, w0b), f64x2.mul(T12, w1b)), f64x2.mul(T22, w2b));
    const u1b = f64x2.add(f64x2.mul(T01, w0b), f64x2.mul(T11, w1b));
    const u0b = f64x2.mul(T00, w0b);
    v128.store(r0 + cb, f64x2.sub(v128.load(r0 + cb), u0a));
    v128.store(r1 + cb, f64x2.sub(v128.load(r1 + cb), u1a));
    v128.store(r2 + cb, f64x2.sub(v128.load(r2 + cb), u2a));
    v128.store(r3 + cb, f64x2.sub(v128.load(r3 + cb), u3a));
    v128.store(r0 + cb, f64x2.sub(v128.load(r0 + cb, 16), u0b), 16);
    v128.store(r1 + cb, f64x2.sub(v128.load(r1 + cb, 16), u1b), 16);
    v128.store(r2 + cb, f64x2.sub(v128.load(r2 + cb, 16), u2b), 16);
    v128.store(r3 + cb, f64x2.sub(v128.load(r3 + cb, 16), u3b), 16);
    // X −= V_B U, per element a0·u0 + a1·u1 + a2·u2 + a3·u3 left to right.
    for (let pv = v0, p = x, end = v0 + n; pv < end; pv += s, p += s) {
      const a0 = v128.load64_splat(pv);
      const a1 = v128.load64_splat(pv, 8);
      const a2 = v128.load64_splat(pv, 16);
      const a3 = v128.load64_splat(pv, 24);
      const ta = f64x2.add(
        f64x2.add(f64x2.add(f64x2.mul(a0, u0a), f64x2.mul(a1, u1a)), f64x2.mul(a2, u2a)),
        f64x2.mul(a3, u3a),
      );
      const tb = f64x2.add(
        f64x2.add(f64x2.add(f64x2.mul(a0, u0b), f64x2.mul(a1, u1b)), f64x2.mul(a2, u2b)),
        f64x2.mul(a3, u3b),
      );
      v128.store(p, f64x2.sub(v128.load(p), ta));
      v128.store(p, f64x2.sub(v128.load(p, 16), tb), 16);
    }
  }
  // The last one to three columns, one at a time (scalar, same expressions).
  for (; c < c1; c++) {
    const cb = (<usize>c) << 3;
    const x = b + cb;
    let w0 = load<f64>(r0 + cb);
    let w1 = load<f64>(r1 + cb);
    let w2 = load<f64>(r2 + cb);
    let w3 = load<f64>(r3 + cb);
    for (let o: usize = 0; o < n; o += s) {
      const xi = load<f64>(x + o);
      const pv = v0 + o;
      w0 += load<f64>(pv) * xi;
      w1 += load<f64>(pv, 8) * xi;
      w2 += load<f64>(pv, 16) * xi;
      w3 += load<f64>(pv, 24) * xi;
    }
    const u3 = t03 * w0 + t13 * w1 + t23 * w2 + t33 * w3;
    const u2 = t02 * w0 + t12 * w1 + t22 * w2;
    const u1 = t01 * w0 + t11 * w1;
    const u0 = t00 * w0;
    store<f64>(r0 + cb, load<f64>(r0 + cb) - u0);
    store<f64>(r1 + cb, load<f64>(r1 + cb) - u1);
    store<f64>(r2 + cb, load<f64>(r2 + cb) - u2);
    store<f64>(r3 + cb, load<f64>(r3 + cb) - u3);
    for (let o: usize = 0; o < n; o += s) {
      const pv = v0 + o;
      const a0 = load<f64>(pv);
      const a1 = load<f64>(pv, 8);
      const a2 = load<f64>(pv, 16);
      const a3 = load<f64>(pv, 24);
      store<f64>(x + o, load<f64>(x + o) - (a0 * u0 + a1 * u1 + a2 * u2 + a3 * u3));
    }
  }
}

/**
 * Folds the `rows` rows of B (row-major, row 0 at b, row stride s bytes, k
 * columns) into the k x k row-major upper triangular R (tsqr.ts
 * annihilateBlock): column 0 by one Householder reflector applied to all
 * other columns, then columns 1..4, 5..8, … four at a time, each group of
 * four applied to the trailing columns in compact WY form; reflectors keep
 * the diagonal non-negative. With `triangular` ≠ 0, B is upper triangular
 * and only its nonzero part is used. B is overwritten by the reflector
 * vectors.
 */
export function annihilate(r: usize, k: i32, b: usize, s: usize, rows: i32, triangular: i32): void {
  if (rows <= 0) return;
  const rs = (<usize>k) << 3;
  // Column 0 on its own, applied to all other columns before any panel (tsqr.ts says why).
  const rows0 = triangular != 0 ? 1 : rows;
  const tauFirst = makeReflector(rows0, b, s, r);
  if (tauFirst != 0) applyReflectorToColumns(rows0, b, b, s, 1, k, tauFirst, r);
  for (let j0 = 1; j0 < k; j0 += 4) {
    const width = min(4, k - j0);
    const panelRows = triangular != 0 ? min(rows, j0 + width) : rows;
    const jEnd = j0 + width;
    let any = false;
    let tau0: f64 = 0;
    let tau1: f64 = 0;
    let tau2: f64 = 0;
    let tau3: f64 = 0;
    for (let jj = 0; jj < width; jj++) {
      const j = j0 + jj;
      const v = b + ((<usize>j) << 3);
      const rj = r + (<usize>j) * rs;
      const tau = makeReflector(panelRows, v, s, rj + ((<usize>j) << 3));
      if (jj == 0) tau0 = tau;
      else if (jj == 1) tau1 = tau;
      else if (jj == 2) tau2 = tau;
      else tau3 = tau;
      if (tau == 0) continue;
      any = true;
      if (j + 1 < jEnd) {
        const rNext = rj + ((<usize>(j + 1)) << 3);
        applyReflectorInPanel(panelRows, v, v + 8, jEnd - j - 1, s, tau, rNext);
      }
    }
    if (jEnd >= k || !any) continue;
    // T of the compact WY form (householder.ts buildBlockTriangle4): Gram of v0..v3.
    const p0 = b + ((<usize>j0) << 3);
    const n = (<usize>panelRows) * s;
    let g01: f64 = 0;
    let g02: f64 = 0;
    let g03: f64 = 0;
    let g12: f64 = 0;
    let g13: f64 = 0;
    let g23: f64 = 0;
    for (let o: usize = 0; o < n; o += s) {
      const pv = p0 + o;
      const a0 = load<f64>(pv);
      const a1 = load<f64>(pv, 8);
      const a2 = load<f64>(pv, 16);
      const a3 = load<f64>(pv, 24);
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
      s,
      p0,
      r + (<usize>j0) * rs,
      rs,
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
 * A row-major (row 0 at a, row stride s bytes) with at least ⌈q/4⌉·4 columns,
 * the padding ones zero; C row-major (row stride ldc doubles), upper triangle
 * only. Each entry's sum runs over the rows from 0 and is then added to C,
 * as in the JS kernel; blocks of 4 rows x 4 columns of C.
 */
export function syrkUpperAdd(rows: i32, q: i32, a: usize, s: usize, c: usize, ldc: i32): void {
  const n = (<usize>rows) * s;
  const crow = (<usize>ldc) << 3;
  for (let i0 = 0; i0 < q; i0 += 4) {
    const pi = a + ((<usize>i0) << 3);
    for (let j0 = i0; j0 < q; j0 += 4) {
      const pj = a + ((<usize>j0) << 3);
      let s0a = f64x2.splat(0);
      let s1a = f64x2.splat(0);
      let s2a = f64x2.splat(0);
      let s3a = f64x2.splat(0);
      let s0b = f64x2.splat(0);
      let s1b = f64x2.splat(0);
      let s2b = f64x2.splat(0);
      let s3b = f64x2.splat(0);
      for (let p = pi, px = pj, end = pi + n; p < end; p += s, px += s) {
        const a0 = v128.load64_splat(p);
        const a1 = v128.load64_splat(p, 8);
        const a2 = v128.load64_splat(p, 16);
        const a3 = v128.load64_splat(p, 24);
        const xa = v128.load(px);
        const xb = v128.load(px, 16);
        s0a = f64x2.add(s0a, f64x2.mul(a0, xa));
        s1a = f64x2.add(s1a, f64x2.mul(a1, xa));
        s2a = f64x2.add(s2a, f64x2.mul(a2, xa));
        s3a = f64x2.add(s3a, f64x2.mul(a3, xa));
        s0b = f64x2.add(s0b, f64x2.mul(a0, xb));
        s1b = f64x2.add(s1b, f64x2.mul(a1, xb));
        s2b = f64x2.add(s2b, f64x2.mul(a2, xb));
        s3b = f64x2.add(s3b, f64x2.mul(a3, xb));
      }
      addUpper(c, crow, q, i0, j0, s0a, s0b);
      addUpper(c, crow, q, i0 + 1, j0, s1a, s1b);
      addUpper(c, crow, q, i0 + 2, j0, s2a, s2b);
      addUpper(c, crow, q, i0 + 3, j0, s3a, s3b);
    }
  }
}

/**
 * C[i][j0..j0+3] += the four sums (lo: j0, j0+1; hi: j0+2, j0+3), for the
 * entries in the upper triangle of the q x q C only.
 */
// @ts-ignore: decorator
@inline
function addUpper(c: usize, crow: usize, q: i32, i: i32, j0: i32, lo: v128, hi: v128): void {
  if (i >= q) return;
  const row = c + (<usize>i) * crow;
  if (i <= j0 && j0 < q) {
    const e = row + ((<usize>j0) << 3);
    store<f64>(e, load<f64>(e) + f64x2.extract_lane(lo, 0));
  }
  const j1 = j0 + 1;
  if (i <= j1 && j1 < q) {
    const e = row + ((<usize>j1) << 3);
    store<f64>(e, load<f64>(e) + f64x2.extract_lane(lo, 1));
  }
  const j2 = j0 + 2;
  if (i <= j2 && j2 < q) {
    const e = row + ((<usize>j2) << 3);
    store<f64>(e, load<f64>(e) + f64x2.extract_lane(hi, 0));
  }
  const j3 = j0 + 3;
  if (i <= j3 && j3 < q) {
    const e = row + ((<usize>j3) << 3);
    store<f64>(e, load<f64>(e) + f64x2.extract_lane(hi, 1));
  }
}

/**
 * Transposes `count` columns of the slab (column c at src + c·slabCol, rows
 * from 0) into the columns from `dst` of a row-major block (row stride s):
 * dst[i][c] = ((x_c[i] − hi_c) − lo_c)·√w_i, without the centering when
 * `means` = 0 (hi at means, lo at means + 8q) and without the factor when
 * `rootW` = 0 — per element the JS path's expressions. Two rows x two
 * columns per step (a 2 x 2 transpose of two f64x2).
 */
function fillBlock(
  dst: usize,
  s: usize,
  src: usize,
  slabCol: usize,
  rows: i32,
  count: i32,
  means: usize,
  lo: usize,
  rootW: usize,
): void {
  const evenBytes = (<usize>(rows & ~1)) << 3;
  const odd = (rows & 1) != 0;
  let c = 0;
  for (; c + 1 < count; c += 2) {
    const cb = (<usize>c) << 3;
    const d = dst + cb;
    const xa0 = src + (<usize>c) * slabCol;
    const xb0 = xa0 + slabCol;
    const hv = means != 0 ? v128.load(means + cb) : f64x2.splat(0);
    const lv = means != 0 ? v128.load(lo + cb) : f64x2.splat(0);
    let o: usize = 0;
    for (let i: usize = 0; i < evenBytes; i += 16, o += 2 * s) {
      const xa = v128.load(xa0 + i);
      const xb = v128.load(xb0 + i);
      let r0 = f64x2.shuffle(xa, xb, 0, 2);
      let r1 = f64x2.shuffle(xa, xb, 1, 3);
      if (means != 0) {
        r0 = f64x2.sub(f64x2.sub(r0, hv), lv);
        r1 = f64x2.sub(f64x2.sub(r1, hv), lv);
      }
      if (rootW != 0) {
        r0 = f64x2.mul(r0, v128.load64_splat(rootW + i));
        r1 = f64x2.mul(r1, v128.load64_splat(rootW + i, 8));
      }
      v128.store(d + o, r0);
      v128.store(d + o + s, r1);
    }
    if (odd) {
      let r0 = f64x2(load<f64>(xa0 + evenBytes), load<f64>(xb0 + evenBytes));
      if (means != 0) r0 = f64x2.sub(f64x2.sub(r0, hv), lv);
      if (rootW != 0) r0 = f64x2.mul(r0, v128.load64_splat(rootW + evenBytes));
      v128.store(d + o, r0);
    }
  }
  if (c < count) {
    const cb = (<usize>c) << 3;
    const x = src + (<usize>c) * slabCol;
    const h = means != 0 ? load<f64>(means + cb) : 0;
    const l = means != 0 ? load<f64>(lo + cb) : 0;
    const n = (<usize>rows) << 3;
    for (let i: usize = 0, o: usize = dst + cb; i < n; i += 8, o += s) {
      let t = load<f64>(x + i);
      if (means != 0) t = t - h - l;
      if (rootW != 0) t *= load<f64>(rootW + i);
      store<f64>(o, t);
    }
  }
}

/**
 * For each of the `count` columns of a slab (column c at slab + c·slabCol
 * bytes, `rows` values): out[c] = max(out[c], max |x|), or NaN once the
 * column held a NaN (+Infinity shows as the maximum) — the values check of a
 * batch whose values were not checked before
 * (src/numerics/accumulate/value-range.ts), run on each slab just copied in,
 * while it is in cache. The maxima use pmax (one instruction, but it drops a
 * NaN operand), so NaN is tracked apart as x ≠ x; four of each in flight.
 */
export function slabMaxAbs(slab: usize, slabCol: usize, rows: i32, count: i32, out: usize): void {
  const evenBytes = (<usize>(rows & ~1)) << 3;
  for (let c = 0; c < count; c++) {
    const x = slab + (<usize>c) * slabCol;
    let m0 = f64x2.splat(0);
    let m1 = f64x2.splat(0);
    let m2 = f64x2.splat(0);
    let m3 = f64x2.splat(0);
    let nan0 = v128.splat<i64>(0);
    let nan1 = v128.splat<i64>(0);
    let i: usize = 0;
    for (; i + 64 <= evenBytes; i += 64) {
      const v0 = v128.load(x + i);
      const v1 = v128.load(x + i, 16);
      const v2 = v128.load(x + i, 32);
      const v3 = v128.load(x + i, 48);
      m0 = f64x2.pmax(m0, f64x2.abs(v0));
      m1 = f64x2.pmax(m1, f64x2.abs(v1));
      m2 = f64x2.pmax(m2, f64x2.abs(v2));
      m3 = f64x2.pmax(m3, f64x2.abs(v3));
      nan0 = v128.or(nan0, v128.or(f64x2.ne(v0, v0), f64x2.ne(v1, v1)));
      nan1 = v128.or(nan1, v128.or(f64x2.ne(v2, v2), f64x2.ne(v3, v3)));
    }
    for (; i < evenBytes; i += 16) {
      const v = v128.load(x + i);
      m0 = f64x2.pmax(m0, f64x2.abs(v));
      nan0 = v128.or(nan0, f64x2.ne(v, v));
    }
    m0 = f64x2.pmax(f64x2.pmax(m0, m1), f64x2.pmax(m2, m3));
    let m = Math.max(f64x2.extract_lane(m0, 0), f64x2.extract_lane(m0, 1));
    if ((rows & 1) != 0) m = Math.max(m, Math.abs(load<f64>(x + evenBytes)));
    if (v128.any_true(v128.or(nan0, nan1))) m = NaN;
    const o = out + ((<usize>c) << 3);
    store<f64>(o, Math.max(load<f64>(o), m));
  }
}

/**
 * The `qr` update of a slab of `rows` rows (qr-accumulator.ts updateQrState):
 * the slab holds the batch columns [x₁ … x_p y] column-major with leading
 * dimension `slabLd`; `w` ≠ 0 points at the rows' weights and `rootW` at
 * `blockRows` doubles of scratch. Each block of `blockRows` rows of [1 X y]
 * (rows scaled by √w, √w = Math.sqrt's correctly rounded value) is formed
 * row-major in `block` (row stride s bytes) and annihilated against R.
 */
export function qrSlab(
  r: usize,
  k: i32,
  block: usize,
  s: usize,
  blockRows: i32,
  slab: usize,
  slabLd: i32,
  rows: i32,
  intercept: i32,
  w: usize,
  rootW: usize,
): void {
  const slabCol = (<usize>slabLd) << 3;
  const first = intercept != 0 ? 1 : 0;
  for (let row0 = 0; row0 < rows; row0 += blockRows) {
    const nr = min(blockRows, rows - row0);
    const rowBytes = (<usize>row0) << 3;
    const nrBytes = (<usize>nr) << 3;
    const n = (<usize>nr) * s;
    if (w != 0) {
      for (let i: usize = 0; i < nrBytes; i += 8) {
        store<f64>(rootW + i, Math.sqrt(load<f64>(w + rowBytes + i)));
      }
    }
    if (intercept != 0) {
      for (let i: usize = 0, o: usize = 0; o < n; i += 8, o += s) {
        store<f64>(block + o, w != 0 ? load<f64>(rootW + i) : 1.0);
      }
    }
    const dst = block + ((<usize>first) << 3);
    fillBlock(dst, s, slab + rowBytes, slabCol, nr, k - first, 0, 0, w != 0 ? rootW : 0);
    annihilate(r, k, block, s, nr, 0);
  }
}

/**
 * The Gram update of a slab of `rows` rows (comoments.ts addBatchComoments):
 * the slab holds q columns column-major with leading dimension `slabLd`;
 * `means` holds hi[0..q) then lo[0..q) (the batch means as unevaluated sums,
 * zeros for the raw Gram); `w` ≠ 0 points at the weights, `rootW` at
 * `blockRows` doubles of scratch. Each block of `blockRows` rows of
 * (x − hi − lo)·√w is formed row-major in `block` (row stride s bytes; its
 * padding columns q..⌈q/4⌉·4−1 must hold zeros) and C += blockᵀ block (upper
 * triangle, row stride q).
 */
export function gramSlab(
  c: usize,
  q: i32,
  block: usize,
  s: usize,
  blockRows: i32,
  slab: usize,
  slabLd: i32,
  rows: i32,
  means: usize,
  w: usize,
  rootW: usize,
): void {
  const slabCol = (<usize>slabLd) << 3;
  const lo = means + ((<usize>q) << 3);
  for (let row0 = 0; row0 < rows; row0 += blockRows) {
    const nr = min(blockRows, rows - row0);
    const rowBytes = (<usize>row0) << 3;
    const nrBytes = (<usize>nr) << 3;
    if (w != 0) {
      for (let i: usize = 0; i < nrBytes; i += 8) {
        store<f64>(rootW + i, Math.sqrt(load<f64>(w + rowBytes + i)));
      }
    }
    fillBlock(block, s, slab + rowBytes, slabCol, nr, q, means, lo, w != 0 ? rootW : 0);
    syrkUpperAdd(nr, q, block, s, c, q);
  }
}

/**
 * Leverages of a chunk of rows for robust standard errors (numerics/meat,
 * MeatAccumulator): z = R⁻ᵀx by forward substitution and ss[t] = ‖z_t‖²,
 * for `len` rows at once. R is q x q row-major upper triangular (at rk);
 * z holds the chunk column-major (column a at z + 8·a·ldz), is read as x and
 * left as z; ss receives len sums. Per element the operations are the JS
 * kernel's, in its order — each block of four earlier columns subtracted as
 * ((c0·z0 + c1·z1) + c2·z2) + c3·z3, then the single ones, then the division
 * by the diagonal, and ss summed over the columns in order — so the two paths
 * give the same bits. Two rows per f64x2; a scalar tail for an odd row.
 */
export function leverageChunk(q: i32, rk: usize, z: usize, ldz: i32, len: i32, ss: usize): void {
  const col = (<usize>ldz) << 3;
  const rrow = (<usize>q) << 3;
  for (let t = 0; t < len; t++) store<f64>(ss + ((<usize>t) << 3), 0);
  for (let a = 0; a < q; a++) {
    const za = z + (<usize>a) * col;
    const ca = rk + ((<usize>a) << 3);
    const d = load<f64>(ca + (<usize>a) * rrow);
    const dv = f64x2.splat(d);
    let t = 0;
    for (; t + 1 < len; t += 2) {
      const off = (<usize>t) << 3;
      let v = v128.load(za + off);
      let i = 0;
      for (; i + 3 < a; i += 4) {
        const ci = ca + (<usize>i) * rrow;
        const zi = z + (<usize>i) * col + off;
        const s01 = f64x2.add(
          f64x2.mul(v128.load64_splat(ci), v128.load(zi)),
          f64x2.mul(v128.load64_splat(ci + rrow), v128.load(zi + col)),
        );
        const s012 = f64x2.add(
          s01,
          f64x2.mul(v128.load64_splat(ci + 2 * rrow), v128.load(zi + 2 * col)),
        );
        const s = f64x2.add(
          s012,
          f64x2.mul(v128.load64_splat(ci + 3 * rrow), v128.load(zi + 3 * col)),
        );
        v = f64x2.sub(v, s);
      }
      for (; i < a; i++) {
        const c = v128.load64_splat(ca + (<usize>i) * rrow);
        v = f64x2.sub(v, f64x2.mul(c, v128.load(z + (<usize>i) * col + off)));
      }
      v = f64x2.div(v, dv);
      v128.store(za + off, v);
      const sp = ss + off;
      v128.store(sp, f64x2.add(v128.load(sp), f64x2.mul(v, v)));
    }
    for (; t < len; t++) {
      const off = (<usize>t) << 3;
      let v = load<f64>(za + off);
      let i = 0;
      for (; i + 3 < a; i += 4) {
        const ci = ca + (<usize>i) * rrow;
        const zi = z + (<usize>i) * col + off;
        v -=
          load<f64>(ci) * load<f64>(zi) +
          load<f64>(ci + rrow) * load<f64>(zi + col) +
          load<f64>(ci + 2 * rrow) * load<f64>(zi + 2 * col) +
          load<f64>(ci + 3 * rrow) * load<f64>(zi + 3 * col);
      }
      for (; i < a; i++) v -= load<f64>(ca + (<usize>i) * rrow) * load<f64>(z + (<usize>i) * col + off);
      v = v / d;
      store<f64>(za + off, v);
      const sp = ss + off;
      store<f64>(sp, load<f64>(sp) + v * v);
    }
  }
}

// ---------------------------------------------------------------------------
// SGD row kernels (src/numerics/sgd/sgd-rows.ts is the JS mirror; the two give
// the same bits). A unit's rows are held row-major and standardized, row i at
// z + i·s bytes: z_1..z_p, then t, then the weight when weighted.
//
// Dot order, shared with the JS path: four running sums over j ≡ 0, 1, 2, 3
// (mod 4) — two f64x2 — combined as (s0 + s1) + (s2 + s3), then the p mod 4
// trailing terms one by one. Column sums (the gradient) run over rows in
// order, one sum per column, so lanes hold exactly the JS sums.

/** Σ_j a_j z_j over p entries (the dot order above). */
@inline
function sgdDot(z: usize, a: usize, p: i32): f64 {
  let s01 = f64x2.splat(0);
  let s23 = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const o = (<usize>j) << 3;
    s01 = f64x2.add(s01, f64x2.mul(v128.load(z + o), v128.load(a + o)));
    s23 = f64x2.add(s23, f64x2.mul(v128.load(z + o + 16), v128.load(a + o + 16)));
  }
  let s =
    (f64x2.extract_lane(s01, 0) + f64x2.extract_lane(s01, 1)) +
    (f64x2.extract_lane(s23, 0) + f64x2.extract_lane(s23, 1));
  for (; j < p; j++) {
    const o = (<usize>j) << 3;
    s += load<f64>(z + o) * load<f64>(a + o);
  }
  return s;
}

/** sgdDot of two rows at once (lane 0: row za, lane 1: row zb), each in the dot order above. */
@inline
function sgdDot2(za: usize, zb: usize, a: usize, p: i32): v128 {
  let a01 = f64x2.splat(0);
  let a23 = f64x2.splat(0);
  let b01 = f64x2.splat(0);
  let b23 = f64x2.splat(0);
  let j = 0;
  for (; j + 3 < p; j += 4) {
    const o = (<usize>j) << 3;
    const c01 = v128.load(a + o);
    const c23 = v128.load(a + o + 16);
    a01 = f64x2.add(a01, f64x2.mul(v128.load(za + o), c01));
    a23 = f64x2.add(a23, f64x2.mul(v128.load(za + o + 16), c23));
    b01 = f64x2.add(b01, f64x2.mul(v128.load(zb + o), c01));
    b23 = f64x2.add(b23, f64x2.mul(v128.load(zb + o + 16), c23));
  }
  let sa =
    (f64x2.extract_lane(a01, 0) + f64x2.extract_lane(a01, 1)) +
    (f64x2.extract_lane(a23, 0) + f64x2.extract_lane(a23, 1));
  let sb =
    (f64x2.extract_lane(b01, 0) + f64x2.extract_lane(b01, 1)) +
    (f64x2.extract_lane(b23, 0) + f64x2.extract_lane(b23, 1));
  for (; j < p; j++) {
    const o = (<usize>j) << 3;
    const c = load<f64>(a + o);
    sa += load<f64>(za + o) * c;
    sb += load<f64>(zb + o) * c;
  }
  return f64x2.replace_lane(f64x2.splat(sa), 1, sb);
}

/**
 * Residual of the row at `row` given its dot Σ a_j z_j: ((t − c) or −c) − dot;
 * with weights, adds w·e·e to out[0] and returns e·(w·wScale), else adds e·e.
 */
@inline
function sgdResidual(
  row: usize,
  p: i32,
  dot: f64,
  c: f64,
  withTarget: i32,
  weighted: i32,
  wScale: f64,
  out: usize,
): f64 {
  const t = row + ((<usize>p) << 3);
  const base = withTarget != 0 ? load<f64>(t) - c : -c;
  let e = base - dot;
  if (weighted != 0) {
    const wi = load<f64>(t + 8);
    store<f64>(out, load<f64>(out) + wi * e * e);
    e = e * (wi * wScale);
  } else {
    store<f64>(out, load<f64>(out) + e * e);
  }
  return e;
}

/**
 * g_j += Σ_r e_r z_rj over `count` rows (rows in order, one sum per column):
 * eight columns (four f64x2) in registers at a time, then pairs, then a
 * scalar last column. `rowAt(r)` is perm-indexed when `perm` ≠ 0.
 */
@inline
function sgdColumnSums(
  z: usize,
  s: usize,
  p: i32,
  perm: usize,
  first: i32,
  count: i32,
  resid: usize,
  g: usize,
): void {
  let j = 0;
  for (; j + 7 < p; j += 8) {
    const o = (<usize>j) << 3;
    let g0 = v128.load(g + o);
    let g1 = v128.load(g + o + 16);
    let g2 = v128.load(g + o + 32);
    let g3 = v128.load(g + o + 48);
    for (let r = 0; r < count; r++) {
      const i = perm != 0 ? <usize>load<u32>(perm + ((<usize>r) << 2)) : <usize>(first + r);
      const row = z + i * s + o;
      const e = v128.load64_splat(resid + ((<usize>r) << 3));
      g0 = f64x2.add(g0, f64x2.mul(e, v128.load(row)));
      g1 = f64x2.add(g1, f64x2.mul(e, v128.load(row + 16)));
      g2 = f64x2.add(g2, f64x2.mul(e, v128.load(row + 32)));
      g3 = f64x2.add(g3, f64x2.mul(e, v128.load(row + 48)));
    }
    v128.store(g + o, g0);
    v128.store(g + o + 16, g1);
    v128.store(g + o + 32, g2);
    v128.store(g + o + 48, g3);
  }
  for (; j + 1 < p; j += 2) {
    const o = (<usize>j) << 3;
    let g0 = v128.load(g + o);
    for (let r = 0; r < count; r++) {
      const i = perm != 0 ? <usize>load<u32>(perm + ((<usize>r) << 2)) : <usize>(first + r);
      const e = v128.load64_splat(resid + ((<usize>r) << 3));
      g0 = f64x2.add(g0, f64x2.mul(e, v128.load(z + i * s + o)));
    }
    v128.store(g + o, g0);
  }
  if (j < p) {
    const o = (<usize>j) << 3;
    let g0 = load<f64>(g + o);
    for (let r = 0; r < count; r++) {
      const i = perm != 0 ? <usize>load<u32>(perm + ((<usize>r) << 2)) : <usize>(first + r);
      g0 += load<f64>(resid + ((<usize>r) << 3)) * load<f64>(z + i * s + o);
    }
    store<f64>(g + o, g0);
  }
}

/**
 * Standardized rows from a column-major slab (columns x_1..x_p, y, then w
 * when weighted, leading dimension slabLd doubles) into z (row stride s
 * bytes): z_j = (x_j − center_j)·invScale_j (exactly +0 where invScale_j = 0),
 * t = (y − center_p)·invScale_p, then w. Blocks of 16 rows keep the written
 * rows in L1; inside, 2 × 2 tiles (two columns of two rows, transposed by
 * shuffles) with the same per-element operations as the scalar code.
 */
export function sgdRowsSlab(
  z: usize,
  s: usize,
  p: i32,
  slab: usize,
  slabLd: i32,
  rows: i32,
  center: usize,
  invScale: usize,
  weighted: i32,
): void {
  const col = (<usize>slabLd) << 3;
  const k = p + 1;
  for (let r0 = 0; r0 < rows; r0 += 16) {
    const nr = min(16, rows - r0);
    const src0 = slab + ((<usize>r0) << 3);
    const dst0 = z + (<usize>r0) * s;
    let j = 0;
    for (; j + 1 < k; j += 2) {
      const o = (<usize>j) << 3;
      const mu = v128.load(center + o);
      const inv = v128.load(invScale + o);
      const keep = f64x2.ne(inv, f64x2.splat(0));
      const xa = src0 + (<usize>j) * col;
      const xb = xa + col;
      let dst = dst0 + o;
      let r = 0;
      for (; r + 1 < nr; r += 2, dst += 2 * s) {
        const ro = (<usize>r) << 3;
        const va = v128.load(xa + ro);
        const vb = v128.load(xb + ro);
        const row0 = v128.shuffle<f64>(va, vb, 0, 2);
        const row1 = v128.shuffle<f64>(va, vb, 1, 3);
        v128.store(dst, v128.and(f64x2.mul(f64x2.sub(row0, mu), inv), keep));
        v128.store(dst + s, v128.and(f64x2.mul(f64x2.sub(row1, mu), inv), keep));
      }
      if (r < nr) {
        const ro = (<usize>r) << 3;
        const row = f64x2.replace_lane(f64x2.splat(load<f64>(xa + ro)), 1, load<f64>(xb + ro));
        v128.store(dst, v128.and(f64x2.mul(f64x2.sub(row, mu), inv), keep));
      }
    }
    if (j < k) {
      const o = (<usize>j) << 3;
      const mu = load<f64>(center + o);
      const inv = load<f64>(invScale + o);
      const x = src0 + (<usize>j) * col;
      let dst = dst0 + o;
      for (let r = 0; r < nr; r++, dst += s) {
        store<f64>(dst, inv == 0 ? 0 : (load<f64>(x + ((<usize>r) << 3)) - mu) * inv);
      }
    }
    if (weighted != 0) {
      const x = src0 + (<usize>k) * col;
      let dst = dst0 + ((<usize>k) << 3);
      for (let r = 0; r < nr; r++, dst += s) store<f64>(dst, load<f64>(x + ((<usize>r) << 3)));
    }
  }
}

/**
 * One mini-batch: residuals of the `count` rows perm[0..count) (sgdResidual,
 * at a = θ's feature part and intercept c) into resid, then g (p entries,
 * zeroed here) = Σ_r e_r z_r; out[0] = the batch's Σ w e² (or Σ e²),
 * out[1] = Σ_r e_r.
 */
export function sgdBatch(
  z: usize,
  s: usize,
  p: i32,
  perm: usize,
  count: i32,
  a: usize,
  c: f64,
  withTarget: i32,
  weighted: i32,
  wScale: f64,
  resid: usize,
  g: usize,
  out: usize,
): void {
  store<f64>(out, 0);
  let g0: f64 = 0;
  // Rows in pairs: two independent streams of cache misses (the rows lie anywhere in the unit).
  let r = 0;
  for (; r + 1 < count; r += 2) {
    const rowA = z + (<usize>load<u32>(perm + ((<usize>r) << 2))) * s;
    const rowB = z + (<usize>load<u32>(perm + ((<usize>(r + 1)) << 2))) * s;
    const dots = sgdDot2(rowA, rowB, a, p);
    const ea = sgdResidual(rowA, p, f64x2.extract_lane(dots, 0), c, withTarget, weighted, wScale, out);
    store<f64>(resid + ((<usize>r) << 3), ea);
    g0 += ea;
    const eb = sgdResidual(rowB, p, f64x2.extract_lane(dots, 1), c, withTarget, weighted, wScale, out);
    store<f64>(resid + ((<usize>(r + 1)) << 3), eb);
    g0 += eb;
  }
  if (r < count) {
    const row = z + (<usize>load<u32>(perm + ((<usize>r) << 2))) * s;
    const e = sgdResidual(row, p, sgdDot(row, a, p), c, withTarget, weighted, wScale, out);
    store<f64>(resid + ((<usize>r) << 3), e);
    g0 += e;
  }
  store<f64>(out + 8, g0);
  memory.fill(g, 0, (<usize>p) << 3);
  sgdColumnSums(z, s, p, perm, 0, count, resid, g);
}

/**
 * Full-batch sums over `rows` rows in order (sgd-objective.ts evaluateSgd's
 * quantities): g (p entries, zeroed here) = Σ w e z, out[0] = Σ w e²,
 * out[1] = Σ w e, out[2] = Σ w; blocks of `blockRows` residuals in resid.
 */
export function sgdEvaluateRows(
  z: usize,
  s: usize,
  p: i32,
  rows: i32,
  a: usize,
  c: f64,
  weighted: i32,
  resid: usize,
  blockRows: i32,
  g: usize,
  out: usize,
): void {
  store<f64>(out, 0);
  memory.fill(g, 0, (<usize>p) << 3);
  let g0: f64 = 0;
  let sw: f64 = 0;
  for (let r0 = 0; r0 < rows; r0 += blockRows) {
    const nr = min(blockRows, rows - r0);
    for (let r = 0; r < nr; r++) {
      const row = z + (<usize>(r0 + r)) * s;
      const t = row + ((<usize>p) << 3);
      const wi = weighted != 0 ? load<f64>(t + 8) : 1;
      // The loss adds w·e·e and the sums take w·e, as evaluateSgd.
      const e = load<f64>(t) - c - sgdDot(row, a, p);
      store<f64>(out, load<f64>(out) + wi * e * e);
      sw += wi;
      const we = e * wi;
      store<f64>(resid + ((<usize>r) << 3), we);
      g0 += we;
    }
    sgdColumnSums(z, s, p, 0, r0, nr, resid, g);
  }
  store<f64>(out + 8, g0);
  store<f64>(out + 16, sw);
}

/** Columns of T⁻¹ per call of invertUpperBlock: eight, one f64x2 lane each, in four sums. */
const INVERSE_LANES: i32 = 8;

/**
 * Columns j0 … j0 + 7 (those below n) of T⁻¹ for an upper-triangular n x n T
 * (row-major, row stride ld doubles), written into `inv` (n x n row-major,
 * entries on and above the diagonal; the caller zeroes the rest), bit for bit
 * as linalg/back-substitution.ts invertUpperJs: column j solves T x = e_j by
 * back substitution, x_i = (e_j[i] − Σ_{l=i+1..j} t_il·x_l) / t_ii, the sum
 * subtracted term by term from l = i + 1 upwards. One column per lane
 * (scratch `c` holds the eight as n rows of eight doubles), so each load of
 * t_il serves eight columns. A lane whose column j is below the block's last
 * also runs l = j + 1 … jmax, where its x_l are zero (set so below the
 * diagonal, so a zero t_ll there cannot make a NaN); s − t·(±0) is s, and s is
 * never −0 (it starts at +0 or 1, and a difference is −0 only from −0), so
 * the bits are those of the column's own solve.
 *
 * One call per block of columns, not one for all of T⁻¹: V8 runs a module's
 * functions in its baseline compiler until they are hot and swaps in the
 * optimized code only at the next call, so a single long call would run
 * unoptimized (~10x slower) on a thread that had not used the kernel yet.
 */
export function invertUpperBlock(t: usize, ld: i32, n: i32, j0: i32, c: usize, inv: usize): void {
  const trow = (<usize>ld) << 3;
  const irow = (<usize>n) << 3;
  const jmax = min(j0 + INVERSE_LANES - 1, n - 1);
  for (let i = jmax; i >= 0; i--) {
    const ti = t + (<usize>i) * trow;
    const ci = c + ((<usize>i) << 6);
    // The right-hand sides' row i: 1 in the lane of column i, if it is in this block.
    v128.store(ci, f64x2.splat(0));
    v128.store(ci, f64x2.splat(0), 16);
    v128.store(ci, f64x2.splat(0), 32);
    v128.store(ci, f64x2.splat(0), 48);
    if (i >= j0) store<f64>(ci + ((<usize>(i - j0)) << 3), 1);
    let s0 = v128.load(ci);
    let s1 = v128.load(ci, 16);
    let s2 = v128.load(ci, 32);
    let s3 = v128.load(ci, 48);
    for (let l = i + 1; l <= jmax; l++) {
      const a = v128.load64_splat(ti + ((<usize>l) << 3));
      const cl = c + ((<usize>l) << 6);
      s0 = f64x2.sub(s0, f64x2.mul(a, v128.load(cl)));
      s1 = f64x2.sub(s1, f64x2.mul(a, v128.load(cl, 16)));
      s2 = f64x2.sub(s2, f64x2.mul(a, v128.load(cl, 32)));
      s3 = f64x2.sub(s3, f64x2.mul(a, v128.load(cl, 48)));
    }
    const d = v128.load64_splat(ti + ((<usize>i) << 3));
    v128.store(ci, f64x2.div(s0, d));
    v128.store(ci, f64x2.div(s1, d), 16);
    v128.store(ci, f64x2.div(s2, d), 32);
    v128.store(ci, f64x2.div(s3, d), 48);
    // Below the diagonal of the block's columns: zero, as T⁻¹ is.
    for (let lane = 0; lane < i - j0; lane++) store<f64>(ci + ((<usize>lane) << 3), 0);
  }
  for (let i = 0; i <= jmax; i++) {
    const ci = c + ((<usize>i) << 6);
    const out = inv + (<usize>i) * irow;
    for (let j = max(i, j0); j <= jmax; j++) {
      store<f64>(out + ((<usize>j) << 3), load<f64>(ci + ((<usize>(j - j0)) << 3)));
    }
  }
}

/**
 * Rows i0 … i1 − 1 of an upper-triangular T (row-major, row stride ld
 * doubles, m columns) into its transpose: tt[j][i] = t[i][j] for i ≤ j (row
 * stride `stride` doubles); the caller zeroes the rest. By 16-column tiles,
 * so the strided side stays in cache.
 */
export function transposeUpperRows(
  t: usize,
  ld: i32,
  m: i32,
  i0: i32,
  i1: i32,
  tt: usize,
  stride: i32,
): void {
  const trow = (<usize>ld) << 3;
  const srow = (<usize>stride) << 3;
  for (let j0 = i0; j0 < m; j0 += 16) {
    const j1 = min(j0 + 16, m);
    for (let i = i0; i < i1; i++) {
      const src = t + (<usize>i) * trow;
      const dst = tt + ((<usize>i) << 3);
      for (let j = max(i, j0); j < j1; j++) {
        store<f64>(dst + (<usize>j) * srow, load<f64>(src + ((<usize>j) << 3)));
      }
    }
  }
}

/**
 * next = Tᵀ·diag(scale)²·T·v for an upper-triangular m x m T, bit for bit as
 * the JS loops of solve/rank.ts largestSingularValue and
 * linalg/extreme-singular-values.ts: t row-major (row stride ld doubles),
 * tt = Tᵀ row-major (row stride `stride` = m rounded up to even, zero below
 * its diagonal: transposeUpperRows), scale = 0 for no scaling, tv scratch of
 * `stride` doubles, next of m.
 *
 * - tv_i = (Σ_{j ≥ i} t_ij·v_j)·scale_i summed from j = i upwards: here as
 *   axpys down the columns of T (rows of tt), j outer, so each tv_i takes its
 *   terms in that order; lane i + 1 of a pair takes one extra 0·v_j first,
 *   and +0 + (±0) = +0 leaves its sum as it was;
 * - next = Σ_i (tv_i·scale_i)·(row i of T), row by row; a row with tv_i = 0
 *   is skipped, which adds nothing: next starts at +0 and a sum of terms
 *   from +0 is never −0, so adding ±0 leaves it as it is.
 */
export function gramApply(
  t: usize,
  ld: i32,
  tt: usize,
  m: i32,
  stride: i32,
  scale: usize,
  v: usize,
  tv: usize,
  next: usize,
): void {
  const trow = (<usize>ld) << 3;
  const srow = (<usize>stride) << 3;
  for (let i = 0; i < stride; i++) store<f64>(tv + ((<usize>i) << 3), 0);
  for (let j = 0; j < m; j++) {
    const vj = v128.load64_splat(v + ((<usize>j) << 3));
    const row = tt + (<usize>j) * srow;
    for (let i = 0; i <= j; i += 2) {
      const o = (<usize>i) << 3;
      v128.store(tv + o, f64x2.add(v128.load(tv + o), f64x2.mul(v128.load(row + o), vj)));
    }
  }
  if (scale != 0) {
    for (let i = 0; i < m; i++) {
      const o = (<usize>i) << 3;
      store<f64>(tv + o, load<f64>(tv + o) * load<f64>(scale + o));
    }
  }
  for (let i = 0; i < m; i++) store<f64>(next + ((<usize>i) << 3), 0);
  for (let i = 0; i < m; i++) {
    let x = load<f64>(tv + ((<usize>i) << 3));
    if (x == 0) continue;
    if (scale != 0) x *= load<f64>(scale + ((<usize>i) << 3));
    const xv = f64x2.splat(x);
    const row = t + (<usize>i) * trow;
    let j = i;
    for (; j + 1 < m; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(next + o, f64x2.add(v128.load(next + o), f64x2.mul(v128.load(row + o), xv)));
    }
    if (j < m) {
      const o = (<usize>j) << 3;
      store<f64>(next + o, load<f64>(next + o) + load<f64>(row + o) * x);
    }
  }
}

// ---- The double-double triangle merge (src/numerics/accumulate/dd-triangle-merge.ts) ----
//
// The whole merge runs here when the kernels are available: ddMergeMaxAbs,
// then (scales chosen in JS) ddMergeLoad, ddMergeStep once per column and
// ddMergeStore. Each scalar dd operation below is its namesake in
// src/numerics/linalg/double-double.ts, expression for expression, so the
// merge gives the JS path's bits. A (k rows) and B (p rows) are row-major
// with row stride ld ≥ k + 3 doubles, hi and lo parts apart; R_a and R_b are
// k x k row-major.

/** Veltkamp's splitter, 2²⁷ + 1. */
const DD_SPLITTER: f64 = 134217729;

/** The (hi, lo) result of the last scalar dd operation below. */
let ddHi: f64 = 0;
let ddLo: f64 = 0;

/** Dekker's TwoProduct (double-double.ts twoProduct). */
@inline
function ddTwoProduct(a: f64, b: f64): void {
  const p = a * b;
  let t = DD_SPLITTER * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = DD_SPLITTER * b;
  const bh = t - (t - b);
  const bl = b - bh;
  ddHi = p;
  ddLo = ah * bh - p + ah * bl + al * bh + al * bl;
}

/** (ah, al) · (bh, bl) (double-double.ts ddMul). */
function ddMulScalar(ah: f64, al: f64, bh: f64, bl: f64): void {
  ddTwoProduct(ah, bh);
  const p = ddHi;
  const e = ddLo + (ah * bl + al * bh);
  const h = p + e;
  ddHi = h;
  ddLo = e - (h - p);
}

/** (ah, al) / (bh, bl) (double-double.ts ddDiv, with ddMulDouble inline). */
function ddDivScalar(ah: f64, al: f64, bh: f64, bl: f64): void {
  const q1 = ah / bh;
  ddTwoProduct(bh, q1);
  const p0 = ddHi;
  const e0 = ddLo + bl * q1;
  const ph = p0 + e0;
  const pl = e0 - (ph - p0);
  const s = ah - ph;
  const bb = s - ah;
  const e = ah - (s - bb) + (-ph - bb) + (al - pl);
  const q2 = (s + e) / bh;
  const h = q1 + q2;
  ddHi = h;
  ddLo = q2 - (h - q1);
}

/** √(ah, al) (double-double.ts ddSqrt). */
function ddSqrtScalar(ah: f64, al: f64): void {
  if (ah <= 0) {
    ddHi = ah == 0 ? 0 : NaN;
    ddLo = 0;
    return;
  }
  const x = Math.sqrt(ah);
  ddTwoProduct(x, x);
  const corr = (ah - ddHi - ddLo + al) / (2 * x);
  const h = x + corr;
  ddHi = h;
  ddLo = corr - (h - x);
}

/** (ah, al) + (hi, lo), accurate dd addition (dd-triangle-merge.ts ddAddPair). */
function ddAddScalar(ah: f64, al: f64, hi: f64, lo: f64): void {
  let s = ah + hi;
  let bb = s - ah;
  let e = ah - (s - bb) + (hi - bb);
  let t = al + lo;
  bb = t - al;
  const f = al - (t - bb) + (lo - bb);
  e += t;
  t = s + e;
  e = e - (t - s);
  e += f;
  s = t + e;
  ddHi = s;
  ddLo = e - (s - t);
}

/**
 * big[c] = the largest |entry| of column c of R_a (rows 0..c) and R_b (rows
 * 0..min(p, c + 1)), NaN-propagating like Math.max.
 */
export function ddMergeMaxAbs(ra: usize, rb: usize, k: i32, p: i32, big: usize): void {
  for (let c = 0; c < k; c++) {
    let m: f64 = 0;
    for (let i = 0; i <= c; i++) m = Math.max(m, Math.abs(load<f64>(ra + (<usize>(i * k + c) << 3))));
    const rows = min(p, c + 1);
    for (let i = 0; i < rows; i++) m = Math.max(m, Math.abs(load<f64>(rb + (<usize>(i * k + c) << 3))));
    store<f64>(big + ((<usize>c) << 3), m);
  }
}

/**
 * A ← R_a and B ← the first p rows of R_b, column c times inv[c] (a power of
 * two), lo parts zero; B's entries below its triangle zero; padding columns
 * k..ld−1 of A's and B's rows zero.
 */
export function ddMergeLoad(
  ra: usize,
  rb: usize,
  k: i32,
  p: i32,
  inv: usize,
  ah: usize,
  al: usize,
  bh: usize,
  bl: usize,
  ld: i32,
): void {
  for (let i = 0; i < k; i++) {
    const o = (<usize>(i * ld)) << 3;
    for (let c = 0; c < ld; c++) {
      const d = o + ((<usize>c) << 3);
      store<f64>(ah + d, c >= i && c < k ? load<f64>(ra + (<usize>(i * k + c) << 3)) * load<f64>(inv + ((<usize>c) << 3)) : 0);
      store<f64>(al + d, 0);
    }
  }
  for (let i = 0; i < p; i++) {
    const o = (<usize>(i * ld)) << 3;
    for (let c = 0; c < ld; c++) {
      const d = o + ((<usize>c) << 3);
      store<f64>(bh + d, c >= i && c < k ? load<f64>(rb + (<usize>(i * k + c) << 3)) * load<f64>(inv + ((<usize>c) << 3)) : 0);
      store<f64>(bl + d, 0);
    }
  }
}

/** R_a[i][c] ← (A_hi + A_lo)[i][c] · scale[c] for c ≥ i (its lower triangle is left as it is). */
export function ddMergeStore(ah: usize, al: usize, ld: i32, k: i32, scale: usize, ra: usize): void {
  for (let i = 0; i < k; i++) {
    for (let c = i; c < k; c++) {
      const d = (<usize>(i * ld + c)) << 3;
      store<f64>(
        ra + (<usize>(i * k + c) << 3),
        (load<f64>(ah + d) + load<f64>(al + d)) * load<f64>(scale + ((<usize>c) << 3)),
      );
    }
  }
}

/**
 * Column step j of the merge (dd-triangle-merge.ts, its loop body): the
 * reflector of [A[j][j]; B[0..rows)[j]] in dd — σ, μ, Parlett's v₁, τ —
 * A[j][j] ← μ, v_B ← x / v₁, then the trailing update of columns j+1..k−1.
 * `x` is scratch for 4·rows doubles.
 */
export function ddMergeStep(
  ah: usize,
  al: usize,
  bh: usize,
  bl: usize,
  ld: i32,
  k: i32,
  j: i32,
  rows: i32,
  x: usize,
): void {
  const rowBytes = (<usize>ld) << 3;
  const jOff = (<usize>j) << 3;
  let sh: f64 = 0;
  let sl: f64 = 0;
  for (let i = 0; i < rows; i++) {
    const o = (<usize>i) * rowBytes + jOff;
    const b = load<f64>(bh + o);
    const bLo = load<f64>(bl + o);
    ddMulScalar(b, bLo, b, bLo);
    ddAddScalar(sh, sl, ddHi, ddLo);
    sh = ddHi;
    sl = ddLo;
  }
  const ajj = (<usize>j) * rowBytes + jOff;
  const alphaH = load<f64>(ah + ajj);
  const alphaL = load<f64>(al + ajj);
  if (sh == 0) {
    if (alphaH >= 0) return;
    // x = 0, α < 0: flip the sign of row j (τ = 2, v_B = 0).
    for (let c = j; c < k; c++) {
      const d = (<usize>j) * rowBytes + ((<usize>c) << 3);
      store<f64>(ah + d, -load<f64>(ah + d));
      store<f64>(al + d, -load<f64>(al + d));
    }
    return;
  }
  // μ = √(α² + σ).
  ddMulScalar(alphaH, alphaL, alphaH, alphaL);
  ddAddScalar(ddHi, ddLo, sh, sl);
  ddSqrtScalar(ddHi, ddLo);
  const muH = ddHi;
  const muL = ddLo;
  // v₁ = α − μ (α ≤ 0) or −σ / (α + μ).
  if (alphaH <= 0) {
    ddAddScalar(alphaH, alphaL, -muH, -muL);
  } else {
    ddAddScalar(alphaH, alphaL, muH, muL);
    ddDivScalar(-sh, -sl, ddHi, ddLo);
  }
  const v1H = ddHi;
  const v1L = ddLo;
  // τ = 2 v₁² / (σ + v₁²).
  ddMulScalar(v1H, v1L, v1H, v1L);
  const q1H = ddHi;
  const q1L = ddLo;
  ddAddScalar(q1H, q1L, sh, sl);
  ddDivScalar(2 * q1H, 2 * q1L, ddHi, ddLo);
  const tauH = ddHi;
  const tauL = ddLo;
  store<f64>(ah + ajj, muH);
  store<f64>(al + ajj, muL);
  if (tauH == 0 || !isFinite<f64>(tauH)) return;
  for (let i = 0; i < rows; i++) {
    const o = (<usize>i) * rowBytes + jOff;
    ddDivScalar(load<f64>(bh + o), load<f64>(bl + o), v1H, v1L);
    store<f64>(bh + o, ddHi);
    store<f64>(bl + o, ddLo);
  }
  ddMergeTrailing(ah, al, bh, bl, ld, k, j, rows, tauH, tauL, x);
}

/**
 * One column step of the double-double triangle merge
 * (src/numerics/accumulate/dd-triangle-merge.ts, its bits): with the
 * reflector of column j already formed (v_B = B[0..rows)[j] in (bh, bl), τ =
 * (tauH, tauL)), for every column c > j: w = A[j][c] + Σᵢ v_i B[i][c], w ← τw,
 * A[j][c] −= w, B[i][c] −= w v_i — each in dd with the JS loop's expressions
 * in its order. A (k rows) and B (rows used) are row-major with a row stride
 * of ld doubles, hi and lo apart; ld ≥ k + 3 so the columns go four at a time
 * (two f64x2 per part, lanes = columns, two independent dd sums in flight)
 * and the last group may run into padding columns, whose results are never
 * read. `x` is scratch for 4·rows doubles (v's hi, lo and Veltkamp halves).
 */
@inline
function ddMergeTrailing(
  ah: usize,
  al: usize,
  bh: usize,
  bl: usize,
  ld: i32,
  k: i32,
  j: i32,
  rows: i32,
  tauH: f64,
  tauL: f64,
  x: usize,
): void {
  const split = f64x2.splat(134217729);
  const rowBytes = (<usize>ld) << 3;
  const jOff = (<usize>j) << 3;
  // v's parts and its Veltkamp halves, once per column step.
  for (let i = 0; i < rows; i++) {
    const o = (<usize>i) * rowBytes + jOff;
    const vh = load<f64>(bh + o);
    const t = 134217729 * vh;
    const v1 = t - (t - vh);
    const q = x + ((<usize>i) << 5);
    store<f64>(q, vh);
    store<f64>(q, load<f64>(bl + o), 8);
    store<f64>(q, v1, 16);
    store<f64>(q, vh - v1, 24);
  }
  const th = f64x2.splat(tauH);
  const tl = f64x2.splat(tauL);
  const tt = 134217729 * tauH;
  const ta1 = f64x2.splat(tt - (tt - tauH));
  const ta2 = f64x2.splat(tauH - (tt - (tt - tauH)));
  const aRow = (<usize>j) * rowBytes;
  for (let c = j + 1; c < k; c += 4) {
    const co = (<usize>c) << 3;
    const aP = ah + aRow + co;
    const lP = al + aRow + co;
    // w = A[j][c] + Σ v_i B[i][c] (dd), columns c..c+3. The two blocks below are
    // the same update for columns c, c+1 and c+2, c+3, written out so both sums
    // stay in locals: an @inline helper must return (hi, lo) through globals in
    // AssemblyScript, which measured ~24% slower (k = 402: 45 → 56 ms a merge).
    let wh0 = v128.load(aP);
    let wl0 = v128.load(lP);
    let wh1 = v128.load(aP, 16);
    let wl1 = v128.load(lP, 16);
    for (let i = 0; i < rows; i++) {
      const q = x + ((<usize>i) << 5);
      const xh = v128.load64_splat(q);
      const xl = v128.load64_splat(q, 8);
      const x1 = v128.load64_splat(q, 16);
      const x2 = v128.load64_splat(q, 24);
      const o = (<usize>i) * rowBytes + co;
      {
        const yh = v128.load(bh + o);
        const yl = v128.load(bl + o);
        const ph = f64x2.mul(xh, yh);
        const t = f64x2.mul(split, yh);
        const y1 = f64x2.sub(t, f64x2.sub(t, yh));
        const y2 = f64x2.sub(yh, y1);
        let pl = f64x2.sub(f64x2.mul(x1, y1), ph);
        pl = f64x2.add(pl, f64x2.mul(x1, y2));
        pl = f64x2.add(pl, f64x2.mul(x2, y1));
        pl = f64x2.add(pl, f64x2.mul(x2, y2));
        pl = f64x2.add(pl, f64x2.add(f64x2.mul(xh, yl), f64x2.mul(xl, yh)));
        const s = f64x2.add(wh0, ph);
        let bb = f64x2.sub(s, wh0);
        let e = f64x2.add(f64x2.sub(wh0, f64x2.sub(s, bb)), f64x2.sub(ph, bb));
        let u = f64x2.add(wl0, pl);
        bb = f64x2.sub(u, wl0);
        const f = f64x2.add(f64x2.sub(wl0, f64x2.sub(u, bb)), f64x2.sub(pl, bb));
        e = f64x2.add(e, u);
        u = f64x2.add(s, e);
        e = f64x2.sub(e, f64x2.sub(u, s));
        e = f64x2.add(e, f);
        wh0 = f64x2.add(u, e);
        wl0 = f64x2.sub(e, f64x2.sub(wh0, u));
      }
      {
        const yh = v128.load(bh + o, 16);
        const yl = v128.load(bl + o, 16);
        const ph = f64x2.mul(xh, yh);
        const t = f64x2.mul(split, yh);
        const y1 = f64x2.sub(t, f64x2.sub(t, yh));
        const y2 = f64x2.sub(yh, y1);
        let pl = f64x2.sub(f64x2.mul(x1, y1), ph);
        pl = f64x2.add(pl, f64x2.mul(x1, y2));
        pl = f64x2.add(pl, f64x2.mul(x2, y1));
        pl = f64x2.add(pl, f64x2.mul(x2, y2));
        pl = f64x2.add(pl, f64x2.add(f64x2.mul(xh, yl), f64x2.mul(xl, yh)));
        const s = f64x2.add(wh1, ph);
        let bb = f64x2.sub(s, wh1);
        let e = f64x2.add(f64x2.sub(wh1, f64x2.sub(s, bb)), f64x2.sub(ph, bb));
        let u = f64x2.add(wl1, pl);
        bb = f64x2.sub(u, wl1);
        const f = f64x2.add(f64x2.sub(wl1, f64x2.sub(u, bb)), f64x2.sub(pl, bb));
        e = f64x2.add(e, u);
        u = f64x2.add(s, e);
        e = f64x2.sub(e, f64x2.sub(u, s));
        e = f64x2.add(e, f);
        wh1 = f64x2.add(u, e);
        wl1 = f64x2.sub(e, f64x2.sub(wh1, u));
      }
    }
    ddMergeFinishPair(aP, lP, wh0, wl0, th, tl, ta1, ta2, split, bh + co, bl + co, rowBytes, rows, x);
    ddMergeFinishPair(aP + 16, lP + 16, wh1, wl1, th, tl, ta1, ta2, split, bh + co + 16, bl + co + 16, rowBytes, rows, x);
  }
}

/**
 * ddMergeColumn's update of two columns from their sums w (hi, lo): w ← τw
 * (dd × dd, QD's sloppy mul), A[j][c] −= w, B[i][c] −= w v_i for i < rows.
 */
@inline
function ddMergeFinishPair(
  aP: usize,
  lP: usize,
  wh0: v128,
  wl0: v128,
  th: v128,
  tl: v128,
  ta1: v128,
  ta2: v128,
  split: v128,
  bh: usize,
  bl: usize,
  rowBytes: usize,
  rows: i32,
  x: usize,
): void {
  // w ← τ w: twoProduct(τ_hi, w_hi), then the cross terms.
  const p = f64x2.mul(th, wh0);
  let t = f64x2.mul(split, wh0);
  const b1 = f64x2.sub(t, f64x2.sub(t, wh0));
  const b2 = f64x2.sub(wh0, b1);
  let lo = f64x2.sub(f64x2.mul(ta1, b1), p);
  lo = f64x2.add(lo, f64x2.mul(ta1, b2));
  lo = f64x2.add(lo, f64x2.mul(ta2, b1));
  lo = f64x2.add(lo, f64x2.mul(ta2, b2));
  const e0 = f64x2.add(lo, f64x2.add(f64x2.mul(th, wl0), f64x2.mul(tl, wh0)));
  const wh = f64x2.add(p, e0);
  const wl = f64x2.sub(e0, f64x2.sub(wh, p));
  // A[j][c] += (−wh, −wl), accurate dd addition.
  {
    const ahv = v128.load(aP);
    const alv = v128.load(lP);
    const nh = f64x2.neg(wh);
    const nl = f64x2.neg(wl);
    let s = f64x2.add(ahv, nh);
    let bb = f64x2.sub(s, ahv);
    let e = f64x2.add(f64x2.sub(ahv, f64x2.sub(s, bb)), f64x2.sub(nh, bb));
    let u = f64x2.add(alv, nl);
    bb = f64x2.sub(u, alv);
    const f = f64x2.add(f64x2.sub(alv, f64x2.sub(u, bb)), f64x2.sub(nl, bb));
    e = f64x2.add(e, u);
    u = f64x2.add(s, e);
    e = f64x2.sub(e, f64x2.sub(u, s));
    e = f64x2.add(e, f);
    s = f64x2.add(u, e);
    v128.store(aP, s);
    v128.store(lP, f64x2.sub(e, f64x2.sub(s, u)));
  }
  // B[:, c] −= w v.
  t = f64x2.mul(split, wh);
  const w1 = f64x2.sub(t, f64x2.sub(t, wh));
  const w2 = f64x2.sub(wh, w1);
  for (let i = 0; i < rows; i++) {
    const q = x + ((<usize>i) << 5);
    const xh = v128.load64_splat(q);
    const xl = v128.load64_splat(q, 8);
    const x1 = v128.load64_splat(q, 16);
    const x2 = v128.load64_splat(q, 24);
    const o = (<usize>i) * rowBytes;
    const ph = f64x2.mul(xh, wh);
    let pl = f64x2.sub(f64x2.mul(x1, w1), ph);
    pl = f64x2.add(pl, f64x2.mul(x1, w2));
    pl = f64x2.add(pl, f64x2.mul(x2, w1));
    pl = f64x2.add(pl, f64x2.mul(x2, w2));
    pl = f64x2.add(pl, f64x2.add(f64x2.mul(xh, wl), f64x2.mul(xl, wh)));
    const yh = v128.load(bh + o);
    const yl = v128.load(bl + o);
    let s = f64x2.sub(yh, ph);
    let bb = f64x2.sub(s, yh);
    let e = f64x2.add(f64x2.sub(yh, f64x2.sub(s, bb)), f64x2.sub(f64x2.neg(ph), bb));
    let u = f64x2.sub(yl, pl);
    bb = f64x2.sub(u, yl);
    const f = f64x2.add(f64x2.sub(yl, f64x2.sub(u, bb)), f64x2.sub(f64x2.neg(pl), bb));
    e = f64x2.add(e, u);
    u = f64x2.add(s, e);
    e = f64x2.sub(e, f64x2.sub(u, s));
    e = f64x2.add(e, f);
    s = f64x2.add(u, e);
    v128.store(bh + o, s);
    v128.store(bl + o, f64x2.sub(e, f64x2.sub(s, u)));
  }
}

/**
 * One step of the inverse iteration of linalg/extreme-singular-values.ts (its
 * bits): b ← T⁻¹(T⁻ᵀ b) for the upper-triangular m x m T (row stride ld
 * doubles), by back-substitution.ts's solveUpperTransposed (an axpy per row:
 * lanes across the entries it updates, each updated as in JS) then its
 * solveUpper (one dot per row, summed in order: scalar).
 */
export function inverseIterationStep(t: usize, ld: i32, m: i32, b: usize): void {
  const rowBytes = (<usize>ld) << 3;
  for (let i = 0; i < m; i++) {
    const row = t + (<usize>i) * rowBytes;
    const bi = b + ((<usize>i) << 3);
    const xi = load<f64>(bi) / load<f64>(row + ((<usize>i) << 3));
    store<f64>(bi, xi);
    const xv = f64x2.splat(xi);
    let j = i + 1;
    for (; j + 1 < m; j += 2) {
      const o = (<usize>j) << 3;
      v128.store(b + o, f64x2.sub(v128.load(b + o), f64x2.mul(v128.load(row + o), xv)));
    }
    if (j < m) {
      const o = (<usize>j) << 3;
      store<f64>(b + o, load<f64>(b + o) - load<f64>(row + o) * xi);
    }
  }
  for (let i = m - 1; i >= 0; i--) {
    const row = t + (<usize>i) * rowBytes;
    let s = load<f64>(b + ((<usize>i) << 3));
    for (let j = i + 1; j < m; j++) {
      const o = (<usize>j) << 3;
      s -= load<f64>(row + o) * load<f64>(b + o);
    }
    store<f64>(b + ((<usize>i) << 3), s / load<f64>(row + ((<usize>i) << 3)));
  }
}

// ---------------------------------------------------------------------------
// The refinement pass without the Gram (src/numerics/refine/refine-columns.ts
// addRefineColumns), bit for bit: the JS column walk computes each row's
// residual rᵢ = yᵢ − Σⱼ βⱼ xᵢⱼ in double-double with the columns in order, and
// adds each gⱼ = Σᵢ wᵢ rᵢ xᵢⱼ (a dd pair) and the RSS over the rows in order.
// Here a residual's f64x2 lane is one ROW (rows are independent, each takes
// its columns in order), and a column sum's lane is one COLUMN (each takes
// its rows in order), with the JS expressions operation for operation —
// Dekker's product on Veltkamp halves, TwoSum — and IEEE add/sub/mul only
// (no fused multiply-add), so every lane carries the bits the JS computes.
// The slab's rows are a slice of the batch: residuals need no state from
// other rows, and the sums continue from the pairs in memory.

/** Veltkamp's splitter 2²⁷ + 1, as in refine-columns.ts. */
const REFINE_SPLITTER: f64 = 134217729;

/**
 * rh + rl = y − Σⱼ βⱼ xⱼ in double-double for the rows of a slab, two rows a
 * lane pair, four columns per sweep (the pair stays in registers across
 * them); rows are taken in pairs, so an odd count also writes the row after
 * the last (the slab and scratch have room for it; nothing reads it).
 * `split` holds (high, low) Veltkamp halves of each βⱼ.
 */
function refineResiduals(
  x: usize,
  ldb: usize,
  m: i32,
  y: usize,
  beta: usize,
  split: usize,
  rows: i32,
  rh: usize,
  rl: usize,
): void {
  const sv = f64x2.splat(REFINE_SPLITTER);
  const bytes = (<usize>((rows + 1) & ~1)) << 3;
  const zero = f64x2.splat(0);
  for (let o: usize = 0; o < bytes; o += 16) {
    v128.store(rh + o, v128.load(y + o));
    v128.store(rl + o, zero);
  }
  for (let j0 = 0; j0 < m; j0 += 4) {
    const j1 = j0 + 4 < m ? j0 + 4 : m;
    for (let o: usize = 0; o < bytes; o += 16) {
      let h = v128.load(rh + o);
      let l = v128.load(rl + o);
      for (let j = j0; j < j1; j++) {
        const xv = v128.load(x + (<usize>j) * ldb + o);
        const b = v128.load64_splat(beta + ((<usize>j) << 3));
        const bh = v128.load64_splat(split + ((<usize>j) << 4));
        const bl = v128.load64_splat(split + ((<usize>j) << 4) + 8);
        const p = f64x2.mul(b, xv);
        const t = f64x2.mul(sv, xv);
        const xh = f64x2.sub(t, f64x2.sub(t, xv));
        const xl = f64x2.sub(xv, xh);
        const pl = f64x2.add(
          f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(bh, xh), p), f64x2.mul(bh, xl)), f64x2.mul(bl, xh)),
          f64x2.mul(bl, xl),
        );
        const ph = f64x2.neg(p);
        const s1 = f64x2.add(h, ph);
        const bb = f64x2.sub(s1, h);
        const e = f64x2.add(
          f64x2.add(f64x2.sub(h, f64x2.sub(s1, bb)), f64x2.sub(ph, bb)),
          f64x2.sub(l, pl),
        );
        h = f64x2.add(s1, e);
        l = f64x2.sub(e, f64x2.sub(h, s1));
      }
      v128.store(rh + o, h);
      v128.store(rl + o, l);
    }
  }
}

/** (wh, wl) = (rh, rl)·w per row (double-double.ts ddMulDouble), two rows a lane pair. */
function refineWeighted(w: usize, rows: i32, rh: usize, rl: usize, wh: usize, wl: usize): void {
  const sv = f64x2.splat(REFINE_SPLITTER);
  const bytes = (<usize>((rows + 1) & ~1)) << 3;
  for (let o: usize = 0; o < bytes; o += 16) {
    const a = v128.load(rh + o);
    const b = v128.load(w + o);
    const p = f64x2.mul(a, b);
    let t = f64x2.mul(sv, a);
    const ah = f64x2.sub(t, f64x2.sub(t, a));
    const al = f64x2.sub(a, ah);
    t = f64x2.mul(sv, b);
    const bh = f64x2.sub(t, f64x2.sub(t, b));
    const bl = f64x2.sub(b, bh);
    const err = f64x2.add(
      f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ah, bh), p), f64x2.mul(ah, bl)), f64x2.mul(al, bh)),
      f64x2.mul(al, bl),
    );
    const e = f64x2.add(err, f64x2.mul(v128.load(rl + o), b));
    const h = f64x2.add(p, e);
    v128.store(wh + o, h);
    v128.store(wl + o, f64x2.sub(e, f64x2.sub(h, p)));
  }
}

/**
 * gⱼ += Σᵢ (wh + wl)ᵢ·xᵢⱼ for the eight columns j0 … j0 + 7 (four f64x2 pairs
 * of sums in registers, so four independent TwoSum chains overlap), rows in
 * order; rows of weight 0 skipped when `w` ≠ 0 (as the JS skips them). g
 * holds (hi, lo) per column.
 */
function refineColumnSums8(
  x: usize,
  ldb: usize,
  j0: i32,
  g: usize,
  w: usize,
  rows: i32,
  wh: usize,
  wl: usize,
): void {
  const sv = f64x2.splat(REFINE_SPLITTER);
  const c0 = x + (<usize>j0) * ldb;
  const c1 = c0 + ldb;
  const c2 = c1 + ldb;
  const c3 = c2 + ldb;
  const c4 = c3 + ldb;
  const c5 = c4 + ldb;
  const c6 = c5 + ldb;
  const c7 = c6 + ldb;
  const gp = g + ((<usize>j0) << 4);
  let g0h = v128.load64_lane(gp + 16, v128.load64_splat(gp), 1);
  let g0l = v128.load64_lane(gp + 24, v128.load64_splat(gp + 8), 1);
  let g1h = v128.load64_lane(gp + 48, v128.load64_splat(gp + 32), 1);
  let g1l = v128.load64_lane(gp + 56, v128.load64_splat(gp + 40), 1);
  let g2h = v128.load64_lane(gp + 80, v128.load64_splat(gp + 64), 1);
  let g2l = v128.load64_lane(gp + 88, v128.load64_splat(gp + 72), 1);
  let g3h = v128.load64_lane(gp + 112, v128.load64_splat(gp + 96), 1);
  let g3l = v128.load64_lane(gp + 120, v128.load64_splat(gp + 104), 1);
  for (let i = 0; i < rows; i++) {
    const o = (<usize>i) << 3;
    if (w != 0 && load<f64>(w + o) == 0) continue;
    // The row's weighted residual, split once for every column (the JS splits it per column: same halves).
    const a = load<f64>(wh + o);
    const t0 = REFINE_SPLITTER * a;
    const ah = t0 - (t0 - a);
    const av = f64x2.splat(a);
    const ahv = f64x2.splat(ah);
    const alv = f64x2.splat(a - ah);
    const wlv = v128.load64_splat(wl + o);
    const x0 = v128.load64_lane(c1 + o, v128.load64_splat(c0 + o), 1);
    const x1 = v128.load64_lane(c3 + o, v128.load64_splat(c2 + o), 1);
    const x2 = v128.load64_lane(c5 + o, v128.load64_splat(c4 + o), 1);
    const x3 = v128.load64_lane(c7 + o, v128.load64_splat(c6 + o), 1);
    {
      const xv = x0;
      const p = f64x2.mul(av, xv);
      const t = f64x2.mul(sv, xv);
      const xh = f64x2.sub(t, f64x2.sub(t, xv));
      const xl = f64x2.sub(xv, xh);
      const e0 = f64x2.add(
        f64x2.add(
          f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ahv, xh), p), f64x2.mul(ahv, xl)), f64x2.mul(alv, xh)),
          f64x2.mul(alv, xl),
        ),
        f64x2.mul(wlv, xv),
      );
      const mh = f64x2.add(p, e0);
      const ml = f64x2.sub(e0, f64x2.sub(mh, p));
      const s = f64x2.add(g0h, mh);
      const bb = f64x2.sub(s, g0h);
      const e = f64x2.add(
        f64x2.add(f64x2.sub(g0h, f64x2.sub(s, bb)), f64x2.sub(mh, bb)),
        f64x2.add(g0l, ml),
      );
      g0h = f64x2.add(s, e);
      g0l = f64x2.sub(e, f64x2.sub(g0h, s));
    }
    {
      const xv = x1;
      const p = f64x2.mul(av, xv);
      const t = f64x2.mul(sv, xv);
      const xh = f64x2.sub(t, f64x2.sub(t, xv));
      const xl = f64x2.sub(xv, xh);
      const e0 = f64x2.add(
        f64x2.add(
          f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ahv, xh), p), f64x2.mul(ahv, xl)), f64x2.mul(alv, xh)),
          f64x2.mul(alv, xl),
        ),
        f64x2.mul(wlv, xv),
      );
      const mh = f64x2.add(p, e0);
      const ml = f64x2.sub(e0, f64x2.sub(mh, p));
      const s = f64x2.add(g1h, mh);
      const bb = f64x2.sub(s, g1h);
      const e = f64x2.add(
        f64x2.add(f64x2.sub(g1h, f64x2.sub(s, bb)), f64x2.sub(mh, bb)),
        f64x2.add(g1l, ml),
      );
      g1h = f64x2.add(s, e);
      g1l = f64x2.sub(e, f64x2.sub(g1h, s));
    }
    {
      const xv = x2;
      const p = f64x2.mul(av, xv);
      const t = f64x2.mul(sv, xv);
      const xh = f64x2.sub(t, f64x2.sub(t, xv));
      const xl = f64x2.sub(xv, xh);
      const e0 = f64x2.add(
        f64x2.add(
          f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ahv, xh), p), f64x2.mul(ahv, xl)), f64x2.mul(alv, xh)),
          f64x2.mul(alv, xl),
        ),
        f64x2.mul(wlv, xv),
      );
      const mh = f64x2.add(p, e0);
      const ml = f64x2.sub(e0, f64x2.sub(mh, p));
      const s = f64x2.add(g2h, mh);
      const bb = f64x2.sub(s, g2h);
      const e = f64x2.add(
        f64x2.add(f64x2.sub(g2h, f64x2.sub(s, bb)), f64x2.sub(mh, bb)),
        f64x2.add(g2l, ml),
      );
      g2h = f64x2.add(s, e);
      g2l = f64x2.sub(e, f64x2.sub(g2h, s));
    }
    {
      const xv = x3;
      const p = f64x2.mul(av, xv);
      const t = f64x2.mul(sv, xv);
      const xh = f64x2.sub(t, f64x2.sub(t, xv));
      const xl = f64x2.sub(xv, xh);
      const e0 = f64x2.add(
        f64x2.add(
          f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ahv, xh), p), f64x2.mul(ahv, xl)), f64x2.mul(alv, xh)),
          f64x2.mul(alv, xl),
        ),
        f64x2.mul(wlv, xv),
      );
      const mh = f64x2.add(p, e0);
      const ml = f64x2.sub(e0, f64x2.sub(mh, p));
      const s = f64x2.add(g3h, mh);
      const bb = f64x2.sub(s, g3h);
      const e = f64x2.add(
        f64x2.add(f64x2.sub(g3h, f64x2.sub(s, bb)), f64x2.sub(mh, bb)),
        f64x2.add(g3l, ml),
      );
      g3h = f64x2.add(s, e);
      g3l = f64x2.sub(e, f64x2.sub(g3h, s));
    }
  }
  v128.store64_lane(gp, g0h, 0);
  v128.store64_lane(gp + 8, g0l, 0);
  v128.store64_lane(gp + 16, g0h, 1);
  v128.store64_lane(gp + 24, g0l, 1);
  v128.store64_lane(gp + 32, g1h, 0);
  v128.store64_lane(gp + 40, g1l, 0);
  v128.store64_lane(gp + 48, g1h, 1);
  v128.store64_lane(gp + 56, g1l, 1);
  v128.store64_lane(gp + 64, g2h, 0);
  v128.store64_lane(gp + 72, g2l, 0);
  v128.store64_lane(gp + 80, g2h, 1);
  v128.store64_lane(gp + 88, g2l, 1);
  v128.store64_lane(gp + 96, g3h, 0);
  v128.store64_lane(gp + 104, g3l, 0);
  v128.store64_lane(gp + 112, g3h, 1);
  v128.store64_lane(gp + 120, g3l, 1);
}

/**
 * refineColumnSums8 for the two columns ja, jb (one pair of sums); with
 * ja = jb (an odd last column) only lane 0 is stored back.
 */
function refineColumnSums2(
  x: usize,
  ldb: usize,
  ja: i32,
  jb: i32,
  g: usize,
  w: usize,
  rows: i32,
  wh: usize,
  wl: usize,
): void {
  const sv = f64x2.splat(REFINE_SPLITTER);
  const c0 = x + (<usize>ja) * ldb;
  const c1 = x + (<usize>jb) * ldb;
  const ga = g + ((<usize>ja) << 4);
  const gb = g + ((<usize>jb) << 4);
  let g0h = v128.load64_lane(gb, v128.load64_splat(ga), 1);
  let g0l = v128.load64_lane(gb + 8, v128.load64_splat(ga + 8), 1);
  for (let i = 0; i < rows; i++) {
    const o = (<usize>i) << 3;
    if (w != 0 && load<f64>(w + o) == 0) continue;
    // The row's weighted residual, split once for every column (the JS splits it per column: same halves).
    const a = load<f64>(wh + o);
    const t0 = REFINE_SPLITTER * a;
    const ah = t0 - (t0 - a);
    const av = f64x2.splat(a);
    const ahv = f64x2.splat(ah);
    const alv = f64x2.splat(a - ah);
    const wlv = v128.load64_splat(wl + o);
    const x0 = v128.load64_lane(c1 + o, v128.load64_splat(c0 + o), 1);
    {
      const xv = x0;
      const p = f64x2.mul(av, xv);
      const t = f64x2.mul(sv, xv);
      const xh = f64x2.sub(t, f64x2.sub(t, xv));
      const xl = f64x2.sub(xv, xh);
      const e0 = f64x2.add(
        f64x2.add(
          f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ahv, xh), p), f64x2.mul(ahv, xl)), f64x2.mul(alv, xh)),
          f64x2.mul(alv, xl),
        ),
        f64x2.mul(wlv, xv),
      );
      const mh = f64x2.add(p, e0);
      const ml = f64x2.sub(e0, f64x2.sub(mh, p));
      const s = f64x2.add(g0h, mh);
      const bb = f64x2.sub(s, g0h);
      const e = f64x2.add(
        f64x2.add(f64x2.sub(g0h, f64x2.sub(s, bb)), f64x2.sub(mh, bb)),
        f64x2.add(g0l, ml),
      );
      g0h = f64x2.add(s, e);
      g0l = f64x2.sub(e, f64x2.sub(g0h, s));
    }
  }
  v128.store64_lane(ga, g0h, 0);
  v128.store64_lane(ga + 8, g0l, 0);
  if (jb != ja) {
    v128.store64_lane(gb, g0h, 1);
    v128.store64_lane(gb + 8, g0l, 1);
  }
}

/**
 * One slab of a refinement batch (refine-columns.ts addRefineColumns): `m`
 * design columns from `x` (column j at x + j·ldb bytes; the intercept's ones
 * are a column like any other), the target at `y`, the weights at `w` (0:
 * none). Adds Σ w·r·xⱼ to the dd pairs at g (m pairs) and Σ w·r² to the pair
 * at rss. `split` (2m doubles) and rh, rl, wh, wl (rows + 1 doubles each,
 * 16-byte aligned) are scratch; the slab and y, w have room for rows + 1.
 */
export function refineSlab(
  x: usize,
  ldb: usize,
  m: i32,
  y: usize,
  w: usize,
  rows: i32,
  beta: usize,
  split: usize,
  g: usize,
  rss: usize,
  rh: usize,
  rl: usize,
  wh: usize,
  wl: usize,
): void {
  for (let j = 0; j < m; j++) {
    const b = load<f64>(beta + ((<usize>j) << 3));
    const t = REFINE_SPLITTER * b;
    const bh = t - (t - b);
    store<f64>(split + ((<usize>j) << 4), bh);
    store<f64>(split + ((<usize>j) << 4) + 8, b - bh);
  }
  refineResiduals(x, ldb, m, y, beta, split, rows, rh, rl);
  let uh = rh;
  let ul = rl;
  if (w != 0) {
    refineWeighted(w, rows, rh, rl, wh, wl);
    uh = wh;
    ul = wl;
  }
  let j = 0;
  for (; j + 8 <= m; j += 8) refineColumnSums8(x, ldb, j, g, w, rows, uh, ul);
  for (; j < m; j += 2) refineColumnSums2(x, ldb, j, j + 1 < m ? j + 1 : j, g, w, rows, uh, ul);
  // The RSS: ddMul(w·r, r) then ddAdd, row after row (one sum, so scalar).
  let sh = load<f64>(rss);
  let sl = load<f64>(rss + 8);
  for (let i = 0; i < rows; i++) {
    const o = (<usize>i) << 3;
    if (w != 0 && load<f64>(w + o) == 0) continue;
    const a = load<f64>(uh + o);
    const al = load<f64>(ul + o);
    const b = load<f64>(rh + o);
    const bl = load<f64>(rl + o);
    const p = a * b;
    let t = REFINE_SPLITTER * a;
    const ah = t - (t - a);
    const aL = a - ah;
    t = REFINE_SPLITTER * b;
    const bh = t - (t - b);
    const bL = b - bh;
    const err = ah * bh - p + ah * bL + aL * bh + aL * bL;
    const e = err + (a * bl + al * b);
    const h = p + e;
    const lo = e - (h - p);
    const s = sh + h;
    const bb = s - sh;
    const e2 = sh - (s - bb) + (h - bb) + (sl + lo);
    sh = s + e2;
    sl = e2 - (sh - s);
  }
  store<f64>(rss, sh);
  store<f64>(rss + 8, sl);
}
