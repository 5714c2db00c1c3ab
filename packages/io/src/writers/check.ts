import { IoError } from '@linreg/errors';
import type { ColumnBatch } from '../types.js';

/** Checks that a batch carries exactly the writer's columns, each with `rows` values. */
export function checkBatch(path: string, columns: readonly string[], batch: ColumnBatch): void {
  const same =
    batch.names.length === columns.length && batch.names.every((name, j) => name === columns[j]);
  if (!same) {
    throw new IoError(
      'write-failed',
      { file: path },
      `batch columns [${batch.names.join(', ')}] differ from the output columns [${columns.join(', ')}]`,
    );
  }
  batch.columns.forEach((values, j) => {
    const raw = batch.raw?.[j];
    const length = raw === null || raw === undefined ? values.length : raw.length;
    if (length < batch.rows) {
      throw new IoError(
        'write-failed',
        { file: path, column: columns[j] },
        `${length} values for ${batch.rows} rows`,
      );
    }
  });
}
