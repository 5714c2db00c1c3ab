import type { FormatModule } from '../format.js';
import { describeParquet } from './describe.js';
import { readParquetUnit } from './read.js';

/** Parquet as a FormatModule: footer-only describe(), fast-path read(). */
export const parquetFormat: FormatModule = {
  format: 'parquet',
  describe: describeParquet,
  read: readParquetUnit,
};
