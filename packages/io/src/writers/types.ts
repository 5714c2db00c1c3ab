import type { ColumnBatch, DataFormat } from '../types.js';

/**
 * A streaming output file. Bytes go to a temporary file in the same directory,
 * renamed onto the target by `close`, so readers never see a partial file;
 * `abort` (or any failed write/close) removes the temporary file.
 */
export interface OutputWriter {
  readonly path: string;
  /** Appends rows; the batch's names must be the writer's columns, in order. */
  write(batch: ColumnBatch): Promise<void>;
  /** Finishes the file and moves it into place. */
  close(): Promise<void>;
  /** Discards everything written; never throws. */
  abort(): Promise<void>;
}

export interface WriterOptions {
  /**
   * Default: from the extension (.parquet/.parq/.pq, .arrow/.feather/.ipc,
   * .arrows, .csv/.tsv/.txt and their .gz forms).
   */
  readonly format?: DataFormat | undefined;
  /** CSV: default ',' ('\t' for .tsv). */
  readonly delimiter?: string | undefined;
  /** Parquet: rows per row group (default 65,536). */
  readonly rowGroupRows?: number | undefined;
  /** Arrow: write the IPC stream format instead of the file format (default: .arrows only). */
  readonly arrowStream?: boolean | undefined;
  /** CSV: gzip the output (default: name ends in .gz). */
  readonly gzip?: boolean | undefined;
  /** Input files the output must not be (checked by device and inode; see checkOutputPath). */
  readonly inputs?: readonly string[] | undefined;
  /** Key-value metadata of the file (Parquet footer, Arrow schema); CSV has none. */
  readonly metadata?: Readonly<Record<string, string>> | undefined;
  /**
   * For the path `-`: the stream written instead of a file (default
   * process.stdout). Arrow (stream format, the default) or CSV; Parquet is
   * refused (an IoError 'unsupported').
   */
  readonly stdout?: NodeJS.WritableStream | undefined;
}

/** What a format writer implements; openWriter wraps it with atomic rename and validation. */
export interface FormatSink {
  write(batch: ColumnBatch): Promise<void>;
  finish(): Promise<void>;
  destroy(): Promise<void>;
}
