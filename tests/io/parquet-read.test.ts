import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parquetFormat } from '../../packages/io/src/parquet/index.js';
import type { WorkUnit } from '../../packages/io/src/types.js';
import { type DuckCompression, DuckDb, tempDir } from './support/duckdb.js';

/** Read `columns` of every unit of a file through parquetFormat, concatenated. */
async function readAll(
  file: string,
  columns: readonly string[],
  batchRows = 4096,
): Promise<{ values: Float64Array[]; nulls: Uint8Array[]; batches: number }> {
  const shard = await parquetFormat.describe(file);
  const n = shard.info.rows;
  const values = columns.map(() => new Float64Array(n));
  const nulls = columns.map(() => new Uint8Array(n));
  let at = 0;
  let batches = 0;
  for (const [index, u] of shard.units.entries()) {
    const unit: WorkUnit = { ...u, index };
    for await (const batch of parquetFormat.read(unit, columns, { batchRows })) {
      expect(batch.rows).toBeLessThanOrEqual(batchRows);
      expect(batch.names).toEqual(columns);
      batch.columns.forEach((c, j) => {
        expect(c.length).toBe(batch.rows);
        (values[j] as Float64Array).set(c, at);
        const m = batch.nulls[j];
        if (m !== null && m !== undefined) {
          expect(m.some((x) => x === 1)).toBe(true);
          (nulls[j] as Uint8Array).set(m, at);
        }
      });
      at += batch.rows;
      batches++;
    }
  }
  expect(at).toBe(n);
  return { values, nulls, batches };
}

/** Every non-null value equal (NaN equals NaN), nulls in the same rows; decimals wider than 15 digits within `ulps`. */
function expectSameColumn(
  name: string,
  actual: Float64Array,
  actualNulls: Uint8Array,
  expected: Float64Array,
  expectedNulls: Uint8Array,
  ulps = 0,
): void {
  expect(actual.length, name).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i] as number;
    const a = actual[i] as number;
    if (actualNulls[i] !== expectedNulls[i]) {
      throw new Error(`${name} row ${i}: null ${actualNulls[i]} vs expected ${expectedNulls[i]}`);
    }
    if (expectedNulls[i] === 1) continue;
    const ok =
      Object.is(a, e) ||
      a === e ||
      (ulps > 0 && Math.abs(a - e) <= ulps * Number.EPSILON * Math.abs(e));
    if (!ok) throw new Error(`${name} row ${i}: read ${a}, expected ${e}`);
  }
}

const TYPES_SELECT = `
  SELECT
    CASE WHEN i % 97 = 0 THEN 'NaN'::DOUBLE WHEN i % 11 = 0 THEN NULL ELSE sin(i) * 1e3 END AS d,
    CASE WHEN i % 13 = 0 THEN NULL ELSE (cos(i) * 100)::FLOAT END AS f,
    (i % 200 - 100)::TINYINT AS i8,
    (i * 37 % 60000 - 30000)::SMALLINT AS i16,
    CASE WHEN i % 7 = 0 THEN NULL ELSE (i * 2654435761 % 4294967296 - 2147483648)::INTEGER END AS i32,
    ((i::HUGEINT * 6364136223846793005) % 18446744073709551616 - 9223372036854775808)::BIGINT AS i64,
    (i % 256)::UTINYINT AS u8,
    (i * 40503 % 65536)::USMALLINT AS u16,
    (i * 2654435761 % 4294967296)::UINTEGER AS u32,
    (i::HUGEINT * 11400714819323198485 % 18446744073709551616)::UBIGINT AS u64,
    ((i - 2500) / 7)::DECIMAL(9,2) AS dec9,
    ((i * 1234567 - 9876543210) / 13)::DECIMAL(18,3) AS dec18,
    ((i * 1234567 - 9876543210) / 13)::DECIMAL(30,4) AS dec30,
    CASE WHEN i % 5 = 0 THEN NULL ELSE i % 3 = 0 END AS b,
    (i % 5)::DOUBLE * 0.25 AS lowcard,
    CASE WHEN i % 4 = 0 THEN NULL ELSE (i % 3)::INTEGER END AS lowcard_int,
    CASE WHEN i % 2 = 0 THEN NULL ELSE i END::DOUBLE AS half_null,
    NULL::DOUBLE AS all_null
  FROM range(5000) t(i)`;

const NUMERIC = [
  'd',
  'f',
  'i8',
  'i16',
  'i32',
  'i64',
  'u8',
  'u16',
  'u32',
  'u64',
  'dec9',
  'dec18',
  'dec30',
  'b',
  'lowcard',
  'lowcard_int',
  'half_null',
  'all_null',
];

describe('parquet read: every common type and encoding, compared with DuckDB', () => {
  let db: DuckDb;
  const tmp = tempDir();
  beforeAll(async () => {
    db = await DuckDb.open();
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  async function reference(file: string): Promise<{ values: Float64Array[]; nulls: Uint8Array[] }> {
    const casts = NUMERIC.map((c) =>
      c === 'b' ? `CAST(CAST(${c} AS INTEGER) AS DOUBLE)` : `CAST(${c} AS DOUBLE)`,
    );
    return db.columns(
      `SELECT ${casts.join(', ')} FROM read_parquet('${file}', file_row_number = true) ORDER BY file_row_number`,
    );
  }

  for (const version of ['v1', 'v2'] as const) {
    it(`reads all numeric types (parquet ${version}, several row groups) exactly`, async () => {
      const file = await db.writeParquet(join(tmp.dir, `types-${version}.parquet`), TYPES_SELECT, {
        rowGroupSize: 1000,
        version,
      });
      const shard = await parquetFormat.describe(file);
      expect(shard.info.rows).toBe(5000);
      // DuckDB rounds row groups to its vector size, so only their sum is fixed.
      expect(shard.units.length).toBeGreaterThan(1);
      expect(shard.units.map((u) => u.part)).toEqual(shard.units.map((_, g) => g));
      expect(shard.units.every((u) => u.rowStart === 0)).toBe(true);
      expect(shard.units.reduce((s, u) => s + u.rowEnd, 0)).toBe(5000);
      const ref = await reference(file);
      const got = await readAll(file, NUMERIC, 777);
      NUMERIC.forEach((name, j) => {
        expectSameColumn(
          `${version} ${name}`,
          got.values[j] as Float64Array,
          got.nulls[j] as Uint8Array,
          ref.values[j] as Float64Array,
          ref.nulls[j] as Uint8Array,
          name === 'dec30' ? 2 : 0,
        );
      });
    });
  }

  const compressions: DuckCompression[] = [
    'snappy',
    'gzip',
    'zstd',
    'brotli',
    'lz4',
    'lz4_raw',
    'uncompressed',
  ];
  for (const compression of compressions) {
    it(`reads ${compression} pages (v1 and v2)`, async () => {
      for (const version of ['v1', 'v2'] as const) {
        const file = await db.writeParquet(
          join(tmp.dir, `c-${compression}-${version}.parquet`),
          `SELECT CASE WHEN i % 3 = 0 THEN NULL ELSE i * 0.5 END AS x, (i % 10)::BIGINT AS k, i::INTEGER AS n FROM range(20000) t(i)`,
          { compression, version, rowGroupSize: 8192 },
        );
        const got = await readAll(file, ['x', 'k', 'n'], 5000);
        for (let i = 0; i < 20000; i++) {
          const x = got.values[0] as Float64Array;
          const xn = got.nulls[0] as Uint8Array;
          if (i % 3 === 0) expect(xn[i]).toBe(1);
          else if (x[i] !== i * 0.5 || xn[i] !== 0)
            throw new Error(`${compression} ${version} x[${i}] = ${x[i]}`);
          if ((got.values[1] as Float64Array)[i] !== i % 10) throw new Error(`k[${i}]`);
          if ((got.values[2] as Float64Array)[i] !== i) throw new Error(`n[${i}]`);
        }
      }
    });
  }
});
