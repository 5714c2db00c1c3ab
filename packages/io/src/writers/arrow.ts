import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import {
  Binary,
  Bool,
  type Data,
  DataType,
  DateDay,
  Decimal,
  Field,
  Float32,
  Float64,
  Int8,
  Int16,
  Int32,
  Int64,
  makeData,
  Null,
  RecordBatch,
  RecordBatchStreamWriter,
  Schema,
  Struct,
  Timestamp,
  TimeUnit,
  Uint8,
  Uint16,
  Uint32,
  Uint64,
  Utf8,
} from 'apache-arrow';
import { type RawColumn, type RawType, unscaledDigits } from '../raw.js';
import type { ColumnBatch } from '../types.js';
import { SchemaFirstFileWriter } from './arrow-file-writer.js';
import { batchTypes, type OutputType } from './raw-encode.js';
import type { FormatSink } from './types.js';

/**
 * Arrow IPC output (file format, or stream format when `stream`): one record
 * batch per `write`; prediction columns nullable Float64, kept columns their
 * own type (raw.ts). The schema is fixed by the first batch (kept columns of
 * an output without rows are Utf8); `metadata` goes into the schema's
 * custom metadata. Values are copied, so the caller may reuse its buffers as
 * soon as `write` returns. `target` is a temporary file, or a stream (stdout)
 * that is flushed but not ended.
 */
export function arrowSink(
  target: string | Writable,
  columns: readonly string[],
  stream: boolean,
  metadata: Readonly<Record<string, string>> = {},
): FormatSink {
  const owned = typeof target === 'string';
  const writer = stream ? new RecordBatchStreamWriter() : new SchemaFirstFileWriter();
  const file = typeof target === 'string' ? createWriteStream(target) : target;
  let failure: unknown;
  file.on('error', (error: unknown) => {
    failure ??= error;
  });
  const bytes = writer.toNodeStream();
  bytes.pipe(file, { end: owned });
  let types: OutputType[] | undefined;
  let schema: Schema | undefined;
  let fields: Field[] = [];
  const start = (fixed: OutputType[]): void => {
    types = fixed;
    fields = columns.map((name, j) => new Field(name, arrowType(fixed[j] as OutputType), true));
    schema = new Schema(fields, new Map(Object.entries(metadata)));
    writer.reset(undefined, schema);
  };
  return {
    async write(batch: ColumnBatch) {
      if (failure !== undefined) throw failure;
      const fixed = batchTypes(target === file ? '-' : String(target), batch, types);
      if (schema === undefined) start(fixed);
      const children = columns.map((_, j) => {
        const raw = batch.raw?.[j];
        const type = (fields[j] as Field).type as DataType;
        if (raw !== null && raw !== undefined) return rawData(raw, type, batch.rows);
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
      writer.write(new RecordBatch(schema as Schema, data));
    },
    async finish() {
      if (schema === undefined) start(columns.map(() => 'float64'));
      writer.finish();
      if (owned) await finished(file);
      else await new Promise<void>((resolve) => bytes.once('end', () => resolve()));
      if (failure !== undefined) throw failure;
    },
    async destroy() {
      // Not writer.abort()/close(): they reject reads that the piped stream never
      // awaits, which surface as unhandled rejections.
      bytes.unpipe(file);
      bytes.destroy();
      if (!owned) return;
      file.destroy();
      await finished(file).catch(() => undefined);
    },
  };
}

const UNIT: Readonly<Record<string, TimeUnit>> = {
  s: TimeUnit.SECOND,
  ms: TimeUnit.MILLISECOND,
  us: TimeUnit.MICROSECOND,
  ns: TimeUnit.NANOSECOND,
};

function arrowType(t: OutputType): DataType {
  if (t === 'float64') return new Float64();
  switch (t.kind) {
    case 'bool':
      return new Bool();
    case 'int': {
      const signed = [new Int8(), new Int16(), new Int32(), new Int64()];
      const unsigned = [new Uint8(), new Uint16(), new Uint32(), new Uint64()];
      const k = [8, 16, 32, 64].indexOf(t.bits);
      return (t.signed ? signed : unsigned)[k] as DataType;
    }
    case 'float':
      return t.bits === 32 ? new Float32() : new Float64();
    case 'decimal':
      return new Decimal(t.scale, t.precision, 128);
    case 'utf8':
      return new Utf8();
    case 'binary':
      return new Binary();
    case 'date':
      return new DateDay();
    case 'timestamp':
      return new Timestamp(UNIT[t.unit] as TimeUnit, t.tz);
    case 'null':
      return new Null();
  }
}

function rawData(c: RawColumn, type: DataType, rows: number): Data {
  const t: RawType = c.type;
  if (DataType.isNull(type)) return makeData({ type, length: rows });
  if (t.kind === 'null') {
    // A null column in a typed output: all slots invalid.
    return makeData({
      type: new Utf8(),
      length: rows,
      nullCount: rows,
      nullBitmap: new Uint8Array(((rows + 63) >> 6) << 3),
      valueOffsets: new Int32Array(rows + 1),
      data: new Uint8Array(0),
    } as never);
  }
  const { bitmap, nullCount } = validity(c.nulls, rows);
  const base = { type, length: rows, nullCount, nullBitmap: bitmap };
  const numbers = c.numbers ?? new Float64Array(rows);
  switch (t.kind) {
    case 'bool': {
      const bits = new Uint8Array(((rows + 63) >> 6) << 3);
      for (let i = 0; i < rows; i++)
        if (numbers[i] === 1) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7));
      return makeData({ ...base, data: bits } as never);
    }
    case 'int':
    case 'float':
    case 'date':
      if (t.kind === 'int' && t.bits === 64) {
        return makeData({ ...base, data: (c.bigints as BigInt64Array).slice(0, rows) } as never);
      }
      return makeData({
        ...base,
        data: new (type.ArrayType as Float64ArrayConstructor)(numbers.subarray(0, rows)),
      } as never);
    case 'timestamp':
      return makeData({
        ...base,
        data: BigInt64Array.from(c.bigints as BigInt64Array).slice(0, rows),
      } as never);
    case 'decimal': {
      const words = new Uint32Array(4 * rows);
      const mask = (1n << 128n) - 1n;
      for (let i = 0; i < rows; i++) {
        let v = BigInt(unscaledDigits(c, i)) & mask;
        for (let k = 0; k < 4; k++) {
          words[4 * i + k] = Number(v & 0xffffffffn);
          v >>= 32n;
        }
      }
      return makeData({ ...base, data: words } as never);
    }
    default:
      return makeData({
        ...base,
        valueOffsets: (c.offsets as Int32Array).slice(0, rows + 1),
        data: (c.bytes as Uint8Array).slice(),
      } as never);
  }
}

/** Arrow validity bitmap (bit set = valid) from a null mask (1 = null). */
function validity(
  mask: Uint8Array | null,
  rows: number,
): { bitmap: Uint8Array | null; nullCount: number } {
  if (mask === null) return { bitmap: null, nullCount: 0 };
  const bitmap = new Uint8Array(((rows + 63) >> 6) << 3);
  let nullCount = 0;
  for (let i = 0; i < rows; i++) {
    if (mask[i] === 1) nullCount += 1;
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
  }
  return nullCount === 0 ? { bitmap: null, nullCount: 0 } : { bitmap, nullCount };
}
