/**
 * Leverages of a chunk of rows: ss[t] = ‖R_K⁻ᵀ x_t‖² by forward substitution
 * with R_Kᵀ, vectorised over the chunk's rows (four earlier columns per
 * sweep), where R_KᵀR_K = X_KᵀWX_K. The leverage of a row of weight w is
 * w·ss[t]. Shared by the robust-SE meat (meat.ts) and the diagnostics' top
 * rows (numerics/diagnostics/top-rows.ts). The WebAssembly kernel, when
 * available, computes the same bits (wasm/kernels.ts leverageChunk).
 */
import { wasmKernelsAvailable, wasmLeverageChunk } from '../wasm/index.js';

/**
 * x: the chunk's q identified columns, column-major with leading dimension
 * ldx (len rows each); z: scratch of the same shape; rk: q × q row-major.
 */
export function leveragesJs(
  q: number,
  rk: Float64Array,
  x: Float64Array,
  z: Float64Array,
  ldx: number,
  len: number,
  ss: Float64Array,
): void {
  ss.fill(0, 0, len);
  for (let a = 0; a < q; a++) {
    const oa = a * ldx;
    for (let t = 0; t < len; t++) z[oa + t] = x[oa + t] as number;
    let i = 0;
    for (; i + 3 < a; i += 4) {
      const c0 = rk[i * q + a] as number;
      const c1 = rk[(i + 1) * q + a] as number;
      const c2 = rk[(i + 2) * q + a] as number;
      const c3 = rk[(i + 3) * q + a] as number;
      const o0 = i * ldx;
      const o1 = o0 + ldx;
      const o2 = o1 + ldx;
      const o3 = o2 + ldx;
      for (let t = 0; t < len; t++) {
        z[oa + t] =
          (z[oa + t] as number) -
          (c0 * (z[o0 + t] as number) +
            c1 * (z[o1 + t] as number) +
            c2 * (z[o2 + t] as number) +
            c3 * (z[o3 + t] as number));
      }
    }
    for (; i < a; i++) {
      const c = rk[i * q + a] as number;
      const oi = i * ldx;
      for (let t = 0; t < len; t++) z[oa + t] = (z[oa + t] as number) - c * (z[oi + t] as number);
    }
    const d = rk[a * q + a] as number;
    for (let t = 0; t < len; t++) {
      const v = (z[oa + t] as number) / d;
      z[oa + t] = v;
      ss[t] = (ss[t] as number) + v * v;
    }
  }
}

/** The chunk's ‖R_K⁻ᵀ x_t‖², by the WebAssembly kernel when available, else leveragesJs. */
export function chunkLeverages(
  q: number,
  rk: Float64Array,
  x: Float64Array,
  z: Float64Array,
  ldx: number,
  len: number,
  ss: Float64Array,
): void {
  if (wasmKernelsAvailable()) wasmLeverageChunk(q, rk, x, ldx, len, ss);
  else leveragesJs(q, rk, x, z, ldx, len, ss);
}
