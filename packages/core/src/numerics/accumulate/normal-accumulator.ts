/**
 * The `normal` accumulator's payload operations. Payload (state-format.ts):
 * q = p + 1 means hi, q means lo (mean = hi + lo), then the q x q co-moment
 * matrix — centered with an intercept, raw without (comoments.ts).
 */

import { estimateScaledCondition, semidefiniteCholesky } from '../linalg/index.js';
import type { AccumulatorSpec, SparseColumns } from '../types.js';
import { addBatchComoments, mergeComoments } from './comoments.js';
import { addSparseBatchComoments } from './sparse-comoments.js';

interface NormalParts {
  readonly hi: Float64Array;
  readonly lo: Float64Array;
  readonly cm: Float64Array;
}

function parts(spec: AccumulatorSpec, body: Float64Array): NormalParts {
  const q = spec.p + 1;
  return { hi: body.subarray(0, q), lo: body.subarray(q, 2 * q), cm: body.subarray(2 * q) };
}

/**
 * Adds a batch (columns [x₁ … x_p y], Σw of the batch > 0) to the payload;
 * with `checked` false, only when its values are finite and in range, else
 * returns false and leaves the payload as it was (comoments.ts).
 */
export function updateNormalState(
  spec: AccumulatorSpec,
  body: Float64Array,
  weightBefore: number,
  cols: readonly Float64Array[],
  n: number,
  w: Float64Array | undefined,
  batchWeight: number,
  checked = true,
): boolean {
  const s = parts(spec, body);
  return addBatchComoments(
    s.hi,
    s.lo,
    s.cm,
    weightBefore,
    cols,
    n,
    w,
    batchWeight,
    spec.intercept,
    checked,
  );
}

/** Adds a batch with one-hot blocks (sparse-comoments.ts); `cols` are its dense columns, then y. */
export function updateSparseNormalState(
  spec: AccumulatorSpec,
  body: Float64Array,
  weightBefore: number,
  cols: readonly Float64Array[],
  sparse: SparseColumns,
  n: number,
  w: Float64Array | undefined,
  batchWeight: number,
): void {
  const s = parts(spec, body);
  addSparseBatchComoments(
    s.hi,
    s.lo,
    s.cm,
    weightBefore,
    cols,
    sparse,
    spec.p,
    n,
    w,
    batchWeight,
    spec.intercept,
  );
}

/** Payload a ← a ⊕ b; `wa`, `wb` are the states' Σw. */
export function mergeNormalStates(
  spec: AccumulatorSpec,
  bodyA: Float64Array,
  bodyB: Float64Array,
  wa: number,
  wb: number,
): void {
  const a = parts(spec, bodyA);
  const b = parts(spec, bodyB);
  mergeComoments(a.hi, a.lo, a.cm, wa, b.hi, b.lo, b.cm, wb, spec.p + 1, spec.intercept);
}

/**
 * R of the augmented Gram from the co-moment state: with an intercept
 * R = [[√W, √W x̄ᵀ], [0, S]] with SᵀS = C (so RᵀR = [[W, W x̄ᵀ], [W x̄, C + W x̄ x̄ᵀ]]),
 * without one R = S with SᵀS = the raw Gram. Returns log10 of the estimated
 * scaled condition number of the (centered) design, the extra digits the
 * Gram route loses.
 */
export function finalizeNormalState(
  spec: AccumulatorSpec,
  body: Float64Array,
  sumWeights: number,
  r: Float64Array,
  k: number,
): number {
  const q = spec.p + 1;
  const { hi: meanHi, lo: meanLo, cm } = parts(spec, body);
  const sFactor = new Float64Array(q * q);
  const retained = semidefiniteCholesky(cm, q, q, sFactor);
  const off = spec.intercept ? 1 : 0;
  if (spec.intercept) {
    const root = Math.sqrt(sumWeights);
    r[0] = root;
    for (let c = 0; c < q; c++) r[1 + c] = root * (meanHi[c] + meanLo[c]);
  }
  for (let i = 0; i < q; i++) {
    for (let j = i; j < q; j++) r[(i + off) * k + (j + off)] = sFactor[i * q + j];
  }
  // Condition of the design columns only (not y), over the retained pivots.
  const cols: number[] = [];
  const norms2 = new Float64Array(q);
  for (let j = 0; j < q - 1; j++) {
    norms2[j] = cm[j * q + j];
    if (retained[j] === 1) cols.push(j);
  }
  const kappa = estimateScaledCondition(sFactor, q, cols, norms2);
  return Math.log10(kappa);
}
