/**
 * Plain, serialisable shapes that io hands to the engine. Nothing here holds a
 * file handle or a closure, so a WorkUnit can be posted to a worker as is.
 */

import type { RemoteOptions } from './bytes/remote-options.js';
import type { RawColumn } from './raw.js';

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
  /**
   * True when the column can be read as categories (ReadOptions.categorical,
   * ColumnRequest.categorical; see categorical.ts); absent otherwise. Set for
   * text — Parquet BYTE_ARRAY annotated UTF8/STRING/ENUM or without
   * annotation, Arrow Utf8/LargeUtf8/Utf8View and Dictionary of those —, for
   * booleans (Parquet BOOLEAN, Arrow Bool: levels `FALSE`/`TRUE`, and still
   * `numeric: true` as 0/1), for every CSV column (CSV has no types: a
   * column's text is its level), and for hive partition columns whose values
   * are not all integers (`sourceType: 'partition text'`). A numeric column
   * (other than a boolean or a CSV column) is not: a factor of numbers is
   * built by the caller from the numbers.
   */
  readonly categorical?: boolean | undefined;
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
  /**
   * The shard's own columns (the planner fills it in; selectColumns checks
   * requests against it), followed by its hive partition columns.
   */
  readonly columns?: readonly ColumnInfo[];
  /**
   * Hive partition values from the file's path (see inputs.ts), without the
   * keys the file itself has as columns; absent when there are none.
   */
  readonly partitions?: PartitionValues | undefined;
}

/**
 * Hive partition values of one file, `key → value` in path order: the value
 * URL-decoded (`%20` → space), null for `key=` and
 * `key=__HIVE_DEFAULT_PARTITION__`. Plain data (posted to workers with units).
 */
export type PartitionValues = Readonly<Record<string, string | null>>;

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
  /**
   * Hive partition columns of the unit's file that the file does not hold
   * itself (the planner leaves out keys the file has as columns: the file's
   * column wins). readUnit serves a requested name found here as a constant
   * column: a number (the value must be an integer) or, when read as a
   * category, one level. Absent when the file has none.
   */
  readonly partitionValues?: PartitionValues | undefined;
  /**
   * Settings for reading a remote file (s3 endpoint and region), set in the
   * worker before the unit is read (bytes/remote-options.ts); absent for local
   * files and when none are given.
   */
  readonly remote?: RemoteOptions | undefined;
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
  /**
   * Parallel to `columns`; present when some column is read as categorical
   * (ReadOptions.categorical). For such a column j, `levels[j]` lists the
   * level strings and `columns[j][i]` is the 0-based index of row i's level
   * in it, an exact integer; a null row (`nulls[j][i] === 1`) holds code 0,
   * which means nothing (it may not even index the list). `levels[j]` is null
   * for a column read as numbers.
   *
   * Per unit, not per batch: the list of a column is the same array object in
   * every batch of one unit (readUnit call), appended to as later batches
   * meet new values and never reordered, so codes mean the same level across
   * the unit's batches. When a batch is yielded its list covers every code of
   * that batch and of the batches before it; copy it (or note its length)
   * for a snapshot. Lists are unsorted and hold only values that occur in the
   * rows read (so they are never longer than the rows); booleans always have
   * the two levels `FALSE`, `TRUE`. Level text: UTF-8 text exactly as stored
   * (no trimming; invalid bytes become U+FFFD), CSV fields after unquoting.
   */
  readonly levels?: readonly (readonly string[] | null)[] | undefined;
  /**
   * Parallel to `columns`; present when some column is read as pass-through
   * values (ReadOptions.rawAt): `raw[j]` holds them (and `columns[j]` is
   * unspecified), null for other columns. Writers write a raw column with
   * its own type (docs/predict-output.md).
   */
  readonly raw?: readonly (RawColumn | null)[] | undefined;
}
