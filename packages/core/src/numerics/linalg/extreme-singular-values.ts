/**
 * The largest and smallest singular values of an upper-triangular T, and the
 * right singular vector of the smallest, by Lanczos (lanczos.ts) — O(m²) a
 * step, for factors too wide for a Jacobi SVD (O(m³) a sweep).
 *
 * ## Method
 *
 * σ₁² is the largest eigenvalue of TᵀT (v ↦ TᵀTv); σ_m⁻² that of T⁻¹T⁻ᵀ
 * (v ↦ T⁻¹(T⁻ᵀv): two triangular solves, no inverse formed), whose
 * eigenvector is the right singular vector of σ_m (to the separation of σ_m
 * from σ_{m−1}). From a fixed start (deterministic), to a residual of 1e-14
 * of the eigenvalue.
 */
import { wasmGramApplier, wasmInverseIteration, wasmKernelsAvailable } from '../wasm/index.js';
import { solveUpper, solveUpperTransposed } from './back-substitution.js';
import { largestEigenpair } from './lanczos.js';

/** From this many columns on, TᵀTv and the inverse step run in WebAssembly (copying T in is not worth it below). */
const WASM_MIN_COLUMNS = 32;

export interface ExtremeSingularValues {
  readonly largest: number;
  readonly smallest: number;
  /** Unit right singular vector of `smallest` (length m). */
  readonly smallestVector: Float64Array;
}

/** Extremes of the m × m upper-triangular block of t (leading dimension ld). */
export function extremeSingularValues(
  t: Float64Array,
  ld: number,
  m: number,
): ExtremeSingularValues {
  if (m === 0) return { largest: 0, smallest: 0, smallestVector: new Float64Array(0) };
  const top = largestEigenpair(gramApplier(t, ld, m), m);
  // Made after the forward iteration is done: both keep T in the kernels' memory.
  const inverse =
    m >= WASM_MIN_COLUMNS && wasmKernelsAvailable()
      ? wasmInverseIteration(t, ld, m)
      : (v: Float64Array, out: Float64Array): void => {
          out.set(v);
          solveUpperTransposed(t, ld, m, out);
          solveUpper(t, ld, m, out);
        };
  const bottom = largestEigenpair(inverse, m, true);
  return {
    largest: Math.sqrt(top.value),
    smallest: bottom.value > 0 ? 1 / Math.sqrt(bottom.value) : 0,
    smallestVector: bottom.vector,
  };
}

/**
 * v ↦ TᵀD²Tv for the m × m upper-triangular block of t (leading dimension
 * ld), D = diag(rowScale) (the identity when absent): the map whose largest
 * eigenvalue is σ₁² of D·T. The same bits in WebAssembly SIMD (wasm/kernels.ts
 * gramApply) from WASM_MIN_COLUMNS columns on; the returned function is
 * valid until another kernel runs.
 */
export function gramApplier(
  t: Float64Array,
  ld: number,
  m: number,
  rowScale?: Float64Array,
): (v: Float64Array, out: Float64Array) => void {
  if (m >= WASM_MIN_COLUMNS && wasmKernelsAvailable()) return wasmGramApplier(t, ld, m, rowScale);
  const tv = new Float64Array(m);
  return (v, out) => {
    for (let i = 0; i < m; i++) {
      let s = 0;
      for (let j = i; j < m; j++) s += (t[i * ld + j] as number) * (v[j] as number);
      tv[i] = rowScale === undefined ? s : s * (rowScale[i] as number);
    }
    out.fill(0);
    for (let i = 0; i < m; i++) {
      let x = tv[i] as number;
      // A zero adds nothing: out starts at +0, and a sum from +0 is never −0.
      if (x === 0) continue;
      if (rowScale !== undefined) x *= rowScale[i] as number;
      for (let j = i; j < m; j++) out[j] = (out[j] as number) + (t[i * ld + j] as number) * x;
    }
  };
}
