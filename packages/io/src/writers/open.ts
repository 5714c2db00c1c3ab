import { IoError } from '@linreg/errors';
import { defaultDelimiter, kindFromExtension } from '../detect.js';
import type { ColumnBatch } from '../types.js';
import { moveIntoPlace, removeQuietly, tempPathFor } from './atomic.js';
import { checkBatch } from './check.js';
import { csvSink } from './csv.js';
import { checkOutputPath } from './output-path.js';
import type { FormatSink, OutputWriter, WriterOptions } from './types.js';

const DEFAULT_ROW_GROUP_ROWS = 65536;

/*
 * The Arrow and Parquet sinks pull in apache-arrow and hyparquet-writer
 * (~200 ms of CPU together), so each is imported on first use and cached:
 * importing @linreg/io, or writing CSV, loads neither.
 */
let arrowWriter: Promise<typeof import('./arrow.js')> | undefined;
let parquetWriter: Promise<typeof import('./parquet.js')> | undefined;

/**
 * Opens a streaming writer of float64 `columns` to `path` (format from the
 * options or the extension). Nothing appears at `path` until `close`
 * succeeds; a failed write or close, or `abort`, removes the temporary file.
 * `path` must pass checkOutputPath (its directory exists; it is not a
 * directory, a device or one of `options.inputs`).
 */
export async function openWriter(
  path: string,
  columns: readonly string[],
  options: WriterOptions = {},
): Promise<OutputWriter> {
  if (columns.length === 0)
    throw new IoError('write-failed', { file: path }, 'no columns to write');
  if (new Set(columns).size !== columns.length) {
    throw new IoError(
      'write-failed',
      { file: path },
      `duplicate output column in [${columns.join(', ')}]`,
    );
  }
  if (path === '-') return openStdoutWriter(columns, options);
  const kind = kindFromExtension(path);
  const format =
    options.format ??
    (kind === undefined
      ? undefined
      : kind.startsWith('csv')
        ? 'csv'
        : kind.startsWith('arrow')
          ? 'arrow'
          : 'parquet');
  if (format === undefined) {
    throw new IoError(
      'unsupported',
      { file: path },
      'cannot tell the output format from the name; pass a format',
    );
  }
  await checkOutputPath(path, options.inputs);
  const temp = tempPathFor(path);
  let sink: FormatSink;
  try {
    if (format === 'csv') {
      const delimiter = options.delimiter ?? defaultDelimiter(path.replace(/\.gz$/i, ''));
      sink = csvSink(temp, columns, delimiter, options.gzip ?? kind === 'csv-gzip');
    } else if (format === 'arrow') {
      arrowWriter ??= import('./arrow.js');
      const { arrowSink } = await arrowWriter;
      sink = arrowSink(
        temp,
        columns,
        options.arrowStream ?? kind === 'arrow-stream',
        options.metadata,
      );
    } else {
      const rowGroupRows = options.rowGroupRows ?? DEFAULT_ROW_GROUP_ROWS;
      if (!(Number.isInteger(rowGroupRows) && rowGroupRows > 0)) {
        throw new IoError(
          'write-failed',
          { file: path },
          `rowGroupRows must be a positive integer, got ${rowGroupRows}`,
        );
      }
      parquetWriter ??= import('./parquet.js');
      const { parquetSink } = await parquetWriter;
      sink = await parquetSink(temp, columns, rowGroupRows, options.metadata);
    }
  } catch (error) {
    await removeQuietly(temp);
    throw wrap(path, error);
  }
  return sinkWriter(path, columns, sink, {
    // The output appears only when complete.
    finished: () => moveIntoPlace(temp, path),
    aborted: () => removeQuietly(temp),
  });
}

/**
 * A writer to standard output (or `options.stdout`): an Arrow IPC stream by
 * default, or CSV; nothing to rename, so a failure after the first write
 * leaves what was written (the caller reports the error on stderr).
 */
async function openStdoutWriter(
  columns: readonly string[],
  options: WriterOptions,
): Promise<OutputWriter> {
  const path = '-';
  const format = options.format ?? 'arrow';
  if (format === 'parquet') {
    throw new IoError(
      'unsupported',
      { file: path },
      'Parquet cannot be written to standard output; use --output-format arrow or csv',
    );
  }
  const out = (options.stdout ?? process.stdout) as unknown as import('node:stream').Writable;
  let sink: FormatSink;
  if (format === 'csv') {
    sink = csvSink(out, columns, options.delimiter ?? ',', options.gzip ?? false);
  } else {
    arrowWriter ??= import('./arrow.js');
    const { arrowSink } = await arrowWriter;
    sink = arrowSink(out, columns, options.arrowStream ?? true, options.metadata);
  }
  // Nothing to rename or remove: what was written to the stream stays written.
  return sinkWriter(path, columns, sink, {
    finished: async () => {},
    aborted: async () => {},
  });
}

/**
 * The writer's life cycle over a format sink, once for every destination:
 * write while open (batches checked against the columns), close (finish,
 * then `finished`), abort (destroy, then `aborted`); a failure aborts.
 */
function sinkWriter(
  path: string,
  columns: readonly string[],
  sink: FormatSink,
  after: { finished: () => Promise<void>; aborted: () => Promise<void> },
): OutputWriter {
  let state: 'open' | 'closed' | 'aborted' = 'open';
  const fail = async (error: unknown): Promise<never> => {
    state = 'aborted';
    await sink.destroy();
    await after.aborted();
    throw wrap(path, error);
  };
  const requireOpen = (): void => {
    if (state !== 'open') throw new IoError('write-failed', { file: path }, `writer is ${state}`);
  };
  return {
    path,
    async write(batch: ColumnBatch) {
      requireOpen();
      checkBatch(path, columns, batch);
      try {
        await sink.write(batch);
      } catch (error) {
        await fail(error);
      }
    },
    async close() {
      requireOpen();
      try {
        await sink.finish();
        await after.finished();
        state = 'closed';
      } catch (error) {
        await fail(error);
      }
    },
    async abort() {
      if (state !== 'open') return;
      state = 'aborted';
      await sink.destroy();
      await after.aborted();
    },
  };
}

/** The error as an IoError naming `path`; a system error in words, without the temporary name. */
function wrap(path: string, error: unknown): IoError {
  if (error instanceof IoError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const known: Record<string, string> = {
    ENOENT: 'the directory does not exist',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EISDIR: 'it is a directory',
    EROFS: 'read-only file system',
  };
  const message =
    (code === undefined ? undefined : known[code]) ??
    (error instanceof Error ? error.message : String(error));
  return new IoError('write-failed', { file: path }, `cannot write: ${message}`);
}
