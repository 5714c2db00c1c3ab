/**
 * Plain, serialisable shapes that io hands to the engine. Nothing here holds a
 * file handle or a closure, so a WorkUnit can be posted to a worker as is.
 */

export type DataFormat = 'parquet' | 'arrow' | 'csv';

/** A column as io sees it across all shards. */
export interface ColumnInfo {
  readonly name: string;
  /** Physical/logical type as the file states it, e.g. 'DOUBLE', 'INT64', 'DECIMAL(10,2)', 'Float32', 'utf8'. */
  readonly sourceType: string;
  /** True when it can be read as float64. */
  readonly numeric: boolean;
  /**
   * True for a date, time or timestamp column (Parquet DATE/TIME/TIMESTAMP,
   * Arrow Date/Time/Timestamp); absent otherwise. Such a column is
   * `numeric: false` and is read only when a fit asks for it
   * (ColumnRequest.temporal), as float64 seconds since the Unix epoch (times
   * of day: since midnight) — see temporal.ts.
   */
  readonly temporal?: boolean | undefined;
  readonly nullable: boolean;
  /**
   * Null values in the column when the file states it cheaply (Parquet: the
   * column chunks' `null_count` statistics, summed over row groups and
   * shards); absent when any chunk or shard lacks it (Arrow, CSV).
   */
  readonly nullCount?: number | undefined;
}

export interface ShardInfo {
  readonly file: string;
  readonly format: DataFormat;
  readonly bytes: number;
  /** Exact row count when the format states it (Parquet, Arrow file), else an estimate. */
  readonly rows: number;
  readonly rowsExact: boolean;
  /** The shard's own columns (the planner fills it in; selectColumns checks requests against it). */
  readonly columns?: readonly ColumnInfo[];
}

/** One independent piece of reading work. Depends only on the files, never on the worker count. */
export interface WorkUnit {
  /** Position in the plan; partial states merge in this order. */
  readonly index: number;
  readonly file: string;
  readonly format: DataFormat;
  /** Parquet row group, Arrow record batch index, or -1. */
  readonly part: number;
  /** CSV byte range [byteStart, byteEnd) split at line boundaries; for Parquet/Arrow the part's byte extent when known. */
  readonly byteStart: number;
  readonly byteEnd: number;
  /** Parquet only: a row range inside a large row group split into pieces (else 0 and the group's row count). */
  readonly rowStart: number;
  readonly rowEnd: number;
  readonly rowEstimate: number;
  /** CSV: the column names from the header of the file (units past the first do not see it). */
  readonly csvHeader?: readonly string[];
  readonly csvDelimiter?: string;
  /** CSV: 1-based line number of the unit's first record (for error messages). */
  readonly csvFirstLine?: number;
  /** CSV: the file is gzip-compressed (then the unit is the whole file and skips the header). */
  readonly csvGzip?: boolean;
  /** Name used in error messages, e.g. 'data/part-3.parquet row group 2'. */
  readonly label: string;
}

export interface Plan {
  readonly shards: readonly ShardInfo[];
  /** Columns common to all shards, in the first shard's order. */
  readonly columns: readonly ColumnInfo[];
  readonly units: readonly WorkUnit[];
}

/**
 * A batch of projected columns as float64, in the order requested.
 * `nulls[j]` marks nulls of column j (1 = null) or is null when the batch has
 * none; NaN values stay NaN in `columns[j]`, so null and NaN are distinguished.
 */
export interface ColumnBatch {
  readonly rows: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
  readonly nulls: readonly (Uint8Array | null)[];
}
