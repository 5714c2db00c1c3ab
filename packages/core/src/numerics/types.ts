/**
 * Shared shapes of the numerics layer. Pure data: no I/O, no threads.
 *
 * Conventions (every numerics module follows them):
 * - A matrix is one contiguous Float64Array, row-major, with an explicit
 *   leading dimension when it is a view into a larger buffer.
 * - The augmented design of a fit is `[1 X y]` (the leading 1 only when
 *   `intercept` is true): `m = p + (intercept ? 1 : 0)` design columns, then y,
 *   so `k = m + 1` columns in all.
 */

/** One batch of rows handed to an accumulator: feature columns, target, optional weights. */
export interface DesignBatch {
  /** Number of rows in this batch. */
  readonly rows: number;
  /** p feature columns, each of length >= rows (only the first `rows` entries are read). */
  readonly x: readonly Float64Array[];
  /** Target, length >= rows. */
  readonly y: Float64Array;
  /** Optional non-negative finite weights; a row enters scaled by sqrt(w). */
  readonly w?: Float64Array | undefined;
  /**
   * One-hot blocks (a formula's factor terms): when present, `x` holds only
   * the feature columns `sparse.dense`, and every other feature column is
   * zero except where a block puts its row's one nonzero.
   */
  readonly sparse?: SparseColumns | undefined;
}

/** Feature columns given as one-hot blocks: in each block, at most one nonzero per row. */
export interface SparseColumns {
  /** Feature columns held densely in `x`, ascending. */
  readonly dense: Int32Array;
  /** Per block and row: the feature column of the row's nonzero, or −1 for none. */
  readonly columns: readonly Int32Array[];
  /** Per block and row: the nonzero's value; undefined when every nonzero is 1. */
  readonly values: readonly (Float64Array | undefined)[];
}

export type AccumulatorKind = 'qr' | 'normal';

/** What an accumulator is built for. Serialized into every state header. */
export interface AccumulatorSpec {
  readonly kind: AccumulatorKind;
  /** Number of feature columns (excluding intercept and target). */
  readonly p: number;
  readonly intercept: boolean;
  readonly weighted: boolean;
}

/**
 * The common output of both accumulators: an upper-triangular k x k factor R
 * (row-major) of the weighted augmented design `[1 X y]`, i.e. RᵀR = AᵀWA.
 * The last column of R holds Qᵀy; R[k-1][k-1]² is the residual sum of squares
 * of the full-rank least-squares fit. When `intercept` is true, column 0 is the
 * intercept, so Σ_{i=1..k-2} R[i][k-1]² + R[k-1][k-1]² is the centered total
 * sum of squares.
 */
export interface TriangularFactor {
  readonly spec: AccumulatorSpec;
  /** k = m + 1. */
  readonly k: number;
  /** k*k row-major, upper triangular (strict lower part is zero). */
  readonly r: Float64Array;
  /** Rows that entered (including zero-weight rows). */
  readonly rows: number;
  /** Rows with positive weight (equal to rows when unweighted). */
  readonly rowsPositiveWeight: number;
  /** Σw (equal to rows when unweighted). */
  readonly sumWeights: number;
  /** Σ log w over rows with w > 0 (0 when unweighted); the WLS log-likelihood needs it. */
  readonly sumLogWeights: number;
  /**
   * Extra digits lost by the route that built R, as an estimate of log10 of the
   * factor by which rounding was amplified (0 for `qr`; for `normal` about
   * log10 of the scaled condition number of the centered design, since the Gram
   * route squares it). The solver turns this into a warning.
   */
  readonly digitsLostEstimate: number;
}

/**
 * What inference and the model need of a factor besides the solution: its
 * spec, size and weight counts (an SGD fit without the exact check has no R).
 */
export type FactorShape = Pick<
  TriangularFactor,
  'spec' | 'k' | 'rowsPositiveWeight' | 'sumLogWeights'
>;
