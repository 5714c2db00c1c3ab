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
}

/** One per format (parquet/, arrow.ts, csv.ts); the planner and readUnit dispatch on `format`. */
export interface FormatModule {
  readonly format: DataFormat;
  describe(file: string): Promise<ShardDescription>;
  /**
   * Read only `columns` of one unit, in that order, as float64 batches.
   * Throws IoError (file, column, unit label) on corrupt data or a non-numeric column.
   */
  read(
    unit: WorkUnit,
    columns: readonly string[],
    options: ReadOptions,
  ): AsyncIterable<ColumnBatch>;
}
