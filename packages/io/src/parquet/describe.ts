import { IoError } from '../errors.js';
import type { ShardDescription } from '../format.js';
import { FileBytes } from './file-bytes.js';
import { fileMeta } from './metadata-cache.js';
import { parquetUnits } from './units.js';

/**
 * Schema, exact row count and work units of one Parquet file, from its footer
 * alone (the last 8 + metadata-length bytes; the data is never read).
 */
export async function describeParquet(file: string): Promise<ShardDescription> {
  const bytes = await FileBytes.open(file);
  try {
    const { metadata, columns } = await fileMeta(bytes);
    const rows = Number(metadata.num_rows);
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
      columns: columns.map((c) => c.info),
      units: parquetUnits(file, metadata),
    };
  } finally {
    await bytes.close();
  }
}
