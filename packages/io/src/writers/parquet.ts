import { open } from 'node:fs/promises';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { RawColumn } from '../raw.js';
import type { ColumnBatch } from '../types.js';
import { batchTypes, type OutputType, parquetElement, parquetValues } from './raw-encode.js';
import type { FormatSink } from './types.js';

type FileHandle = Awaited<ReturnType<typeof open>>;

/**
 * hyparquet-writer's byte sink, flushed to a file after each row group
 * (ParquetWriter awaits `flush` before encoding the next group), so memory
 * holds at most one encoded row group.
 */
class FileByteWriter extends ByteWriter {
  constructor(private readonly handle: FileHandle) {
    super(1 << 20);
  }

  async flush(): Promise<void> {
    let written = 0;
    const bytes = new Uint8Array(this.buffer, 0, this.index);
    while (written < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, written, bytes.length - written);
      written += bytesWritten;
    }
    this.index = 0;
  }

  override async finish(): Promise<void> {
    await this.flush();
  }
}

/**
 * Parquet output, snappy-compressed, in row groups of `rowGroupRows` rows:
 * prediction columns OPTIONAL DOUBLE (nulls are Parquet nulls, NaN stays
 * NaN), kept columns their own type (raw-encode.ts parquetElement). The
 * schema is fixed by the first batch; `metadata` goes into the footer's
 * key-value metadata.
 */
export async function parquetSink(
  temp: string,
  columns: readonly string[],
  rowGroupRows: number,
  metadata: Readonly<Record<string, string>> = {},
): Promise<FormatSink> {
  const handle = await open(temp, 'w');
  let writer: ParquetWriter | undefined;
  let types: OutputType[] | undefined;
  const kvMetadata = Object.entries(metadata).map(([key, value]) => ({ key, value }));
  const start = (fixed: OutputType[]): ParquetWriter => {
    types = fixed;
    const schema: SchemaElement[] = [
      { name: 'root', num_children: columns.length },
      ...columns.map((name, j) => parquetElement(name, fixed[j] as OutputType)),
    ];
    writer = new ParquetWriter({
      writer: new FileByteWriter(handle),
      schema,
      codec: 'SNAPPY',
      ...(kvMetadata.length > 0 ? { kvMetadata } : {}),
    });
    return writer;
  };
  // Slices of batches waiting for a full row group.
  let pending: { batch: ColumnBatch; from: number; to: number }[] = [];
  let rows = 0;

  const flushGroup = async (): Promise<void> => {
    if (rows === 0 || writer === undefined) return;
    const columnData = columns.map((name, j) => {
      const raw = pending.map((p) => p.batch.raw?.[j] ?? null);
      if (raw.every((r) => r !== null)) {
        const data: unknown[] = [];
        pending.forEach((p, k) => {
          for (const v of parquetValues(raw[k] as RawColumn, p.from, p.to)) data.push(v);
        });
        return { name, data };
      }
      const anyNulls = pending.some(
        (p) => p.batch.nulls[j] !== null && p.batch.nulls[j] !== undefined,
      );
      const values = new Float64Array(rows);
      let at = 0;
      for (const p of pending) {
        values.set((p.batch.columns[j] as Float64Array).subarray(p.from, p.to), at);
        at += p.to - p.from;
      }
      if (!anyNulls) return { name, data: values };
      const data: (number | null)[] = new Array(rows);
      at = 0;
      for (const p of pending) {
        const mask = p.batch.nulls[j];
        for (let i = p.from; i < p.to; i++) {
          data[at] =
            mask !== null && mask !== undefined && mask[i] === 1 ? null : (values[at] as number);
          at += 1;
        }
      }
      return { name, data };
    });
    await writer.write({ columnData: columnData as never, rowGroupSize: rows });
    pending = [];
    rows = 0;
  };

  return {
    async write(batch: ColumnBatch) {
      const fixed = batchTypes(temp, batch, types);
      if (writer === undefined) start(fixed);
      let from = 0;
      while (from < batch.rows) {
        const take = Math.min(batch.rows - from, rowGroupRows - rows);
        pending.push({ batch, from, to: from + take });
        rows += take;
        from += take;
        if (rows === rowGroupRows) await flushGroup();
      }
    },
    async finish() {
      const w = writer ?? start(columns.map(() => 'float64'));
      await flushGroup();
      await w.finish();
      await handle.close();
    },
    async destroy() {
      await handle.close().catch(() => undefined);
    },
  };
}
