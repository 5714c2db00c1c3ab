import { open } from 'node:fs/promises';
import { ByteWriter, ParquetWriter, type SchemaElement } from 'hyparquet-writer';
import type { ColumnBatch } from '../types.js';
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
 * Parquet output: every column an OPTIONAL DOUBLE, snappy-compressed, in row
 * groups of `rowGroupRows` rows; nulls become Parquet nulls, NaN stays NaN.
 */
export async function parquetSink(
  temp: string,
  columns: readonly string[],
  rowGroupRows: number,
): Promise<FormatSink> {
  const handle = await open(temp, 'w');
  const schema: SchemaElement[] = [
    { name: 'root', num_children: columns.length },
    ...columns.map(
      (name): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' }),
    ),
  ];
  const writer = new ParquetWriter({ writer: new FileByteWriter(handle), schema, codec: 'SNAPPY' });
  // Rows waiting for a full row group, one buffer per column.
  let pending = columns.map(() => new Float64Array(rowGroupRows));
  let pendingNulls: (Uint8Array | null)[] = columns.map(() => null);
  let rows = 0;

  const flushGroup = async (): Promise<void> => {
    if (rows === 0) return;
    const columnData = columns.map((name, j) => {
      const values = (pending[j] as Float64Array).subarray(0, rows);
      const mask = pendingNulls[j];
      if (mask === null || mask === undefined) return { name, data: values };
      const data = Array.from(values, (v, i): number | null => (mask[i] === 1 ? null : v));
      return { name, data };
    });
    await writer.write({ columnData, rowGroupSize: rows });
    pending = columns.map(() => new Float64Array(rowGroupRows));
    pendingNulls = columns.map(() => null);
    rows = 0;
  };

  return {
    async write(batch: ColumnBatch) {
      let from = 0;
      while (from < batch.rows) {
        const take = Math.min(batch.rows - from, rowGroupRows - rows);
        columns.forEach((_, j) => {
          (pending[j] as Float64Array).set(
            (batch.columns[j] as Float64Array).subarray(from, from + take),
            rows,
          );
          const mask = batch.nulls[j];
          if (mask !== null && mask !== undefined) {
            const target = pendingNulls[j] ?? new Uint8Array(rowGroupRows);
            pendingNulls[j] = target;
            target.set(mask.subarray(from, from + take), rows);
          }
        });
        rows += take;
        from += take;
        if (rows === rowGroupRows) await flushGroup();
      }
    },
    async finish() {
      await flushGroup();
      await writer.finish();
      await handle.close();
    },
    async destroy() {
      await handle.close().catch(() => undefined);
    },
  };
}
