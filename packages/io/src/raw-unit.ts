/**
 * A unit's pass-through columns, whole (raw.ts): Parquet through hyparquet
 * with the annotations stripped (parquet/raw.ts); Arrow through apache-arrow
 * (arrow/raw.ts); CSV as each field's text after unquoting (read through the
 * categorical reader, so a field that reads as null — empty, `NA`, `null`,
 * `NULL` — is null); a hive partition column as its text.
 */
import { IoError } from '@linreg/errors';
import { arrowFormat } from './arrow/module.js';
import { csvFormat } from './csv/format.js';
import { concatRaw, type RawColumn, rawFromStrings } from './raw.js';
import type { WorkUnit } from './types.js';

const BATCH_ROWS = 65536;

export async function readRawUnit(unit: WorkUnit, names: readonly string[]): Promise<RawColumn[]> {
  const partitions = unit.partitionValues ?? {};
  const own = names.filter((name) => !Object.hasOwn(partitions, name));
  let fileColumns: RawColumn[] = [];
  let rows = -1;
  if (own.length > 0) {
    if (unit.format === 'parquet') {
      const { readParquetRaw } = await import('./parquet/raw.js');
      fileColumns = await readParquetRaw(unit, own);
    } else if (unit.format === 'arrow') {
      const parts: RawColumn[][] = own.map(() => []);
      const rawAt = own.map(() => true);
      for await (const batch of arrowFormat.read(unit, own, {
        batchRows: BATCH_ROWS,
        rawAt,
      })) {
        own.forEach((_, k) => {
          const column = batch.raw?.[k];
          if (column !== null && column !== undefined) parts[k]?.push(column);
        });
      }
      fileColumns = parts.map((p) =>
        p.length === 0 ? rawFromStrings([]) : concatRaw((p[0] as RawColumn).type, p),
      );
    } else {
      const text: (string | null)[][] = own.map(() => []);
      for await (const batch of csvFormat.read(unit, own, {
        batchRows: BATCH_ROWS,
        categorical: own,
      })) {
        own.forEach((_, k) => {
          const codes = batch.columns[k] as Float64Array;
          const nulls = batch.nulls[k] ?? null;
          const levels = batch.levels?.[k] ?? [];
          const out = text[k] as (string | null)[];
          for (let i = 0; i < batch.rows; i++) {
            out.push(nulls !== null && nulls[i] === 1 ? null : (levels[codes[i] as number] ?? ''));
          }
        });
      }
      fileColumns = text.map((t) => rawFromStrings(t));
    }
    rows = fileColumns[0]?.length ?? 0;
  }
  if (rows < 0) {
    // Only partition columns: count the unit's rows with its first column.
    rows = 0;
    const first = unit.format === 'csv' ? (unit.csvHeader?.[0] ?? '') : '';
    if (unit.format === 'csv' && first !== '') {
      for await (const b of csvFormat.read(unit, [first], {
        batchRows: BATCH_ROWS,
        categorical: [first],
      })) {
        rows += b.rows;
      }
    } else if (unit.format === 'parquet') {
      rows = unit.rowEnd - unit.rowStart;
    } else {
      throw new IoError(
        'unsupported',
        { file: unit.file, where: unit.label },
        'keeping only partition columns is not supported for this format',
      );
    }
  }
  let k = 0;
  return names.map((name) => {
    if (!Object.hasOwn(partitions, name)) {
      const c = fileColumns[k] as RawColumn;
      k += 1;
      return c;
    }
    const value = partitions[name] ?? null;
    return rawFromStrings(new Array<string | null>(rows).fill(value));
  });
}
