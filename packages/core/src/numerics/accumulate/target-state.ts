/**
 * One target's state out of the state of several targets (R's `mlm`).
 *
 * A state of `[1 X Y]`, Y with q columns, is accumulated as a state with
 * p + q − 1 "features" (X, then y₁ … y_{q−1}) and y_q as its target. It holds
 * every single-target state of `[1 X y_j]`:
 *
 * - `qr`: the factor of `[1 X Y]` is `[[R_xx, R_xy], [0, R_yy]]` with R_yy
 *   upper triangular, q × q. For target j, `[1 X y_j]` = Q·`[[R_xx, r_xj],
 *   [0, e_j]]` where e_j is column j of R_yy (nonzero in its rows 0…j). A
 *   reflection of the rows below R_xx that maps e_j to (‖e_j‖, 0, …, 0)
 *   leaves R_xx and r_xj alone, so `[[R_xx, r_xj], [0, ρ_j]]` with
 *   ρ_j = ‖e_j‖ ≥ 0 is a triangular factor of `[1 X y_j]`: the same RᵀR as a
 *   separate accumulation, equal to it up to the signs of rows and rounding.
 *   ρ_j² is target j's residual sum of squares (EᵀE = R_yyᵀR_yy). No
 *   reflection is computed: only its result, ‖e_j‖, is needed.
 * - `normal`: means and co-moments are kept per column pair, so the state of
 *   `[1 X y_j]` is the selection of X's columns and y_j's — the same numbers a
 *   separate accumulation would have built.
 *
 * Rank and aliasing are decided on R_xx alone, which every target shares.
 */

import { NumericInputError } from '@linreg/errors';
import { type AccumulatorState, createAccumulator } from './accumulator.js';
import { augmentedColumns, HEADER_LENGTH, ROW_FIELDS } from './state-format.js';

/**
 * The state of `[1 X y_j]` from a state of `[1 X Y]` whose design has `p`
 * feature columns (the state's spec has p + q − 1; `j` counts from 0).
 */
export function targetState(state: AccumulatorState, p: number, j: number): AccumulatorState {
  const big = state.spec;
  const q = big.p - p + 1;
  if (!(Number.isInteger(p) && p >= 0 && q >= 1 && Number.isInteger(j) && j >= 0 && j < q)) {
    throw new NumericInputError(
      `target ${j} of a state with ${big.p} columns and ${p} features does not exist`,
    );
  }
  const { spec, data } = createAccumulator({ ...big, p });
  for (const h of ROW_FIELDS) data[h] = state.data[h] as number;
  const from = state.data.subarray(HEADER_LENGTH);
  const to = data.subarray(HEADER_LENGTH);
  if (spec.kind === 'qr')
    selectTriangle(from, augmentedColumns(big), to, augmentedColumns(spec), j);
  else selectComoments(from, big.p + 1, to, p + 1, j);
  return { spec, data };
}

/** R' (k × k) from R (K × K): the leading m = k − 1 rows and columns, R[0:m, m+j], and ‖R[m:m+j+1, m+j]‖. */
function selectTriangle(r: Float64Array, K: number, out: Float64Array, k: number, j: number): void {
  const m = k - 1;
  const col = m + j;
  for (let i = 0; i < m; i++) {
    for (let c = i; c < m; c++) out[i * k + c] = r[i * K + c] as number;
    out[i * k + m] = r[i * K + col] as number;
  }
  // The norm scaled by the largest entry, so squares neither overflow nor underflow.
  let scale = 0;
  for (let i = m; i <= col; i++) scale = Math.max(scale, Math.abs(r[i * K + col] as number));
  let sum = 0;
  if (scale > 0) {
    for (let i = m; i <= col; i++) {
      const v = (r[i * K + col] as number) / scale;
      sum += v * v;
    }
  }
  out[m * k + m] = scale * Math.sqrt(sum);
}

/**
 * Payload of the normal state (normal-accumulator.ts): means hi (Q), lo (Q),
 * co-moments (Q × Q), Q = columns + 1. Keeps the n − 1 feature columns
 * and column (n − 1) + j, the target's.
 */
function selectComoments(
  from: Float64Array,
  Q: number,
  to: Float64Array,
  n: number,
  j: number,
): void {
  const at = (c: number): number => (c < n - 1 ? c : n - 1 + j);
  for (let c = 0; c < n; c++) {
    to[c] = from[at(c)] as number;
    to[n + c] = from[Q + at(c)] as number;
  }
  const cmFrom = 2 * Q;
  const cmTo = 2 * n;
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      to[cmTo + a * n + b] = from[cmFrom + at(a) * Q + at(b)] as number;
    }
  }
}
