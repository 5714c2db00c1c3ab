import { IoError } from '@linreg/errors';
import { type RecordBatch, RecordBatchReader, type Schema } from 'apache-arrow';
import type { ReadOptions } from '../format.js';
import type { ColumnBatch, ColumnInfo } from '../types.js';
import { arrowCall } from './arrow-errors.js';
import { ArrowCategories } from './categories.js';
import { arrowColumns } from './columns.js';
import { sliceBatch } from './slice.js';
import { checkedStream, type StreamLimits } from './stream-framing.js';
import { validateSchema } from './validate.js';

/** An Arrow IPC stream whose schema has been read; its record batches follow. */
export interface OpenArrowStream {
  readonly schema: Schema;
  readonly columns: readonly ColumnInfo[];
  /**
   * Reads the remaining record batches in order (once), as batches of at most
   * batchRows rows; `options.categorical` columns as codes and levels, the
   * levels shared by the whole stream.
   */
  read(columns: readonly string[], options: ReadOptions): AsyncIterable<ColumnBatch>;
}

/**
 * Opens an Arrow IPC stream (standard input, a file stream or any byte
 * iterable) and reads its schema, so the caller can select columns before
 * reading. `name` is used in error messages ('-' for standard input).
 */
export async function openArrowStream(
  source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
  name = '-',
  limits: StreamLimits = {},
): Promise<OpenArrowStream> {
  // apache-arrow sees only whole messages that passed the checks (stream-framing.ts).
  const checked = checkedStream(source as AsyncIterable<Uint8Array | string>, name, limits);
  const reader = await arrowCall(name, 'schema', async () =>
    (await RecordBatchReader.from(checked)).open(),
  );
  // An empty input (`linreg fit - < /dev/null`) opens a reader without a schema.
  const schema = reader.schema as typeof reader.schema | null | undefined;
  if (schema === null || schema === undefined) {
    throw new IoError(
      'empty',
      { file: name },
      'no Arrow IPC stream: the input is empty or ended before a schema',
    );
  }
  validateSchema(schema, name);
  return {
    schema,
    columns: arrowColumns(schema),
    async *read(columns, options) {
      // One level table per categorical column for the whole stream (one unit).
      const categories = new ArrowCategories(new Set(options.categorical ?? []), name);
      let index = 0;
      for (;;) {
        const where = `record batch ${index}`;
        const next = await arrowCall(name, where, () => reader.next());
        if (next.done === true) break;
        yield* sliceBatch(
          next.value as RecordBatch,
          name,
          where,
          columns,
          options.batchRows,
          categories,
          options.rawAt,
        );
        index += 1;
      }
    },
  };
}

/** Reads every record batch of an Arrow IPC stream in order. */
export async function* readArrowSource(
  source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>,
  name: string,
  columns: readonly string[],
  options: ReadOptions,
): AsyncGenerator<ColumnBatch> {
  const stream = await openArrowStream(source, name);
  yield* stream.read(columns, options);
}
