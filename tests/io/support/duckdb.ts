/**
 * Test-time Parquet writer backed by DuckDB (@duckdb/node-api): tests build
 * files from a SELECT instead of committing binaries, and can read a file back
 * through DuckDB as the reference. Other io tests may import it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';

export type DuckCompression =
  | 'snappy'
  | 'gzip'
  | 'zstd'
  | 'brotli'
  | 'lz4'
  | 'lz4_raw'
  | 'uncompressed';

export interface DuckParquetOptions {
  readonly compression?: DuckCompression;
  readonly rowGroupSize?: number;
  readonly version?: 'v1' | 'v2';
}

export class DuckDb {
  private constructor(
    private readonly instance: DuckDBInstance,
    readonly connection: DuckDBConnection,
  ) {}

  static async open(threads = 1): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(':memory:', { threads: String(threads) });
    return new DuckDb(instance, await instance.connect());
  }

  /** COPY (select) TO path as Parquet with the given options. */
  async writeParquet(
    path: string,
    select: string,
    options: DuckParquetOptions = {},
  ): Promise<string> {
    const opts = [
      'FORMAT parquet',
      `COMPRESSION ${options.compression ?? 'snappy'}`,
      ...(options.rowGroupSize !== undefined ? [`ROW_GROUP_SIZE ${options.rowGroupSize}`] : []),
      ...(options.version !== undefined ? [`PARQUET_VERSION ${options.version}`] : []),
    ];
    await this.connection.run(
      `COPY (${select}) TO '${path.replaceAll("'", "''")}' (${opts.join(', ')})`,
    );
    return path;
  }

  /**
   * Columns of a query as float64 (null as NaN) plus a null mask, in row
   * order: DuckDB's own answer to compare a reader against. The query should
   * CAST to DOUBLE so DuckDB does the conversion.
   */
  async columns(
    sql: string,
  ): Promise<{ values: Float64Array[]; nulls: Uint8Array[]; names: string[] }> {
    const reader = await this.connection.runAndReadAll(sql);
    const names = reader.columnNames();
    const rows = reader.getRows();
    const values = names.map(() => new Float64Array(rows.length));
    const nulls = names.map(() => new Uint8Array(rows.length));
    rows.forEach((row, i) => {
      row.forEach((v, j) => {
        const col = values[j] as Float64Array;
        if (v === null) {
          col[i] = Number.NaN;
          (nulls[j] as Uint8Array)[i] = 1;
        } else {
          col[i] = Number(v);
        }
      });
    });
    return { values, nulls, names };
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}

/** A fresh directory under os.tmpdir() and a function that removes it. */
export function tempDir(prefix = 'linreg-io-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
