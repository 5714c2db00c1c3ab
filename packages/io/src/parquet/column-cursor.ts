/**
 * A forward-only reader of one column over one unit's rows, shared by the fast
 * path and the hyparquet fallback so read() can mix them per column.
 */
export interface ColumnCursor {
  /**
   * Write the next `count` rows into values[at ..] and mark nulls with 1 in
   * mask[at ..] (which the caller zero-fills; cursors only write the 1s).
   * Null rows hold NaN in `values`. Returns the number of nulls written.
   */
  next(values: Float64Array, mask: Uint8Array, at: number, count: number): number;
}
