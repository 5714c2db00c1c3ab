import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import {
  Field,
  Float64,
  makeData,
  RecordBatch,
  RecordBatchFileWriter,
  RecordBatchStreamWriter,
  Schema,
  Struct,
} from 'apache-arrow';
import type { ColumnBatch } from '../types.js';
import type { FormatSink } from './types.js';

/**
 * Arrow IPC output (file format, or stream format when `stream`): one record
 * batch per `write`, every column a nullable Float64. Values are copied, so
 * the caller may reuse its buffers as soon as `write` returns.
 */
export function arrowSink(temp: string, columns: readonly string[], stream: boolean): FormatSink {
  const fields = columns.map((name) => new Field(name, new Float64(), true));
  const schema = new Schema(fields);
  const writer = stream ? new RecordBatchStreamWriter() : new RecordBatchFileWriter();
  const file = createWriteStream(temp);
  let failure: unknown;
  file.on('error', (error) => {
    failure ??= error;
  });
  const bytes = writer.toNodeStream();
  bytes.pipe(file);
  writer.reset(undefined, schema);
  return {
    async write(batch: ColumnBatch) {
      if (failure !== undefined) throw failure;
      const children = columns.map((_, j) => {
        const values = (batch.columns[j] as Float64Array).slice(0, batch.rows);
        const mask = batch.nulls[j] ?? null;
        const { bitmap, nullCount } = validity(mask, batch.rows);
        return makeData({
          type: new Float64(),
          length: batch.rows,
          nullCount,
          nullBitmap: bitmap,
          data: values,
        });
      });
      const data = makeData({
        type: new Struct(fields),
        length: batch.rows,
        nullCount: 0,
        children,
      });
      writer.write(new RecordBatch(schema, data));
    },
    async finish() {
      writer.finish();
      await finished(file);
      if (failure !== undefined) throw failure;
    },
    async destroy() {
      // Not writer.abort()/close(): they reject reads that the piped stream never
      // awaits, which surface as unhandled rejections.
      bytes.unpipe(file);
      bytes.destroy();
      file.destroy();
      await finished(file).catch(() => undefined);
    },
  };
}

/** Arrow validity bitmap (bit set = valid) from a null mask (1 = null). */
function validity(
  mask: Uint8Array | null,
  rows: number,
): { bitmap: Uint8Array | null; nullCount: number } {
  if (mask === null) return { bitmap: null, nullCount: 0 };
  const bitmap = new Uint8Array(((rows + 63) >> 6) << 3);
  let nullCount = 0;
  for (let i = 0; i < rows; i += 1) {
    if (mask[i] === 1) nullCount += 1;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return nullCount === 0 ? { bitmap: null, nullCount: 0 } : { bitmap, nullCount };
}
