import { IoError } from '@linreg/errors';
import type { FileMetaData } from 'hyparquet';
import { openBytes } from '../bytes/open-bytes.js';
import type { ShardDescription } from '../format.js';
import type { ColumnInfo } from '../types.js';
import type { ParquetColumn } from './columns.js';
import { fileMeta } from './metadata-cache.js';
import { parquetUnits } from './units.js';

/**
 * Schema, exact row count and work units of one Parquet file, from its footer
 * alone (the last 8 + metadata-length bytes; the data is never read).
 */
export async function describeParquet(file: string): Promise<ShardDescription> {
  const bytes = await openBytes(file);
  try {
    const { metadata, columns } = await fileMeta(bytes);
    const rows = Number(metadata.num_rows);
    // The leaves of the schema, in order: each row group has one chunk per leaf, of its type.
    const leaves = metadata.schema.slice(1).filter((e) => !((e.num_children ?? 0) > 0));
    metadata.row_groups.forEach((g, i) => {
      const where = `row group ${i}`;
      const n = Number(g.num_rows);
      if (!(Number.isSafeInteger(n) && n >= 0)) {
        throw new IoError('corrupt', { file, where }, 'bad or missing row count');
      }
      if (!Array.isArray(g.columns) || g.columns.length !== leaves.length) {
        throw new IoError(
          'corrupt',
          { file, where },
          `${g.columns?.length ?? 0} column chunks, the schema has ${leaves.length} columns`,
        );
      }
      g.columns.forEach((chunk, j) => {
        const leaf = leaves[j];
        const type = chunk.meta_data?.type;
        if (leaf !== undefined && type !== undefined && type !== leaf.type) {
          throw new IoError(
            'corrupt',
            { file, column: leaf.name, where },
            `column chunk of type ${String(type)}, the schema says ${String(leaf.type)}`,
          );
        }
      });
    });
    const groupRows = metadata.row_groups.reduce((sum, g) => sum + Number(g.num_rows), 0);
    if (groupRows !== rows) {
      throw new IoError(
        'corrupt',
        { file, where: 'footer' },
        `row groups hold ${groupRows} rows, the footer says ${rows}`,
      );
    }
    return {
      info: { file, format: 'parquet', bytes: bytes.size, rows, rowsExact: true },
      columns: columns.map((c) => withNullCount(c, metadata)),
      units: parquetUnits(file, metadata),
    };
  } finally {
    await bytes.close();
  }
}

/**
 * The column's info plus its null count from the footer: the sum of the
 * chunks' `null_count` statistics when every row group states it. A REQUIRED
 * column has none; nested columns are left unknown (a leaf's count is not the
 * column's, as null lists and null elements both count).
 */
function withNullCount(column: ParquetColumn, metadata: FileMetaData): ColumnInfo {
  if (column.chunk < 0 || column.maxDef > 1) return column.info;
  if (column.maxDef === 0) return { ...column.info, nullCount: 0 };
  let sum = 0;
  for (const group of metadata.row_groups) {
    const count = group.columns[column.chunk]?.meta_data?.statistics?.null_count;
    if (count === undefined) return column.info;
    sum += Number(count);
  }
  return { ...column.info, nullCount: sum };
}
