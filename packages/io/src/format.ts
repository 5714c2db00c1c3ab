import type { ColumnBatch, ColumnInfo, DataFormat, ShardInfo, WorkUnit } from './types.js';

/** What a format module tells the planner about one file. */
export interface ShardDescription {
  readonly info: ShardInfo;
  readonly columns: readonly ColumnInfo[];
  /** The file's units in file order; `index` is assigned by the planner. */
  readonly units: readonly Omit<WorkUnit, 'index'>[];
}

export interface ReadOptions {
  /** Upper bound on rows per yielded batch, so memory never grows with file size. */
  readonly batchRows: number;
  /**
   * Names among the requested columns to read as categories (codes plus
   * levels, see ColumnBatch.levels); names not requested are ignored. Each
   * must be categorical in the unit's file (ColumnInfo.categorical), else an
   * IoError 'unsupported' (`type X cannot be read as a category`) names the
   * file and column.
   */
  readonly categorical?: readonly string[] | undefined;
  /**
   * Parallel to the requested columns: true where the column is read as
   * pass-through values (raw.ts; ColumnBatch.raw) instead of float64. A name
   * may then appear twice, once raw and once not. Any type raw.ts supports.
   */
  readonly rawAt?: readonly boolean[] | undefined;
  /**
   * The caller is done with a batch's arrays once it asks for the next batch
   * or ends the read, so the reader may write later batches, or later units'
   * batches, into them. Parquet's fast path then takes them from its buffer
   * pool: a worker stops allocating fresh memory per batch, which the kernel
   * zeroes page by page and the collector frees. Default: fresh arrays.
   */
  readonly reuseBatches?: boolean | undefined;
}

/** One per format (parquet/, arrow.ts, csv.ts); the planner and readUnit dispatch on `format`. */
export interface FormatModule {
  readonly format: DataFormat;
  describe(file: string): Promise<ShardDescription>;
  /**
   * Read only `columns` of one unit, in that order, as float64 batches (codes
   * and levels for `options.categorical`). Throws IoError (file, column, unit
   * label) on corrupt data, a non-numeric column, or a column that cannot be
   * read as a category.
   */
  read(
    unit: WorkUnit,
    columns: readonly string[],
    options: ReadOptions,
  ): AsyncIterable<ColumnBatch>;
}
