import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBytes } from '../../packages/io/src/bytes/local-bytes.js';
import { fallbackCursor } from '../../packages/io/src/parquet/fallback.js';
import { PIECE_ROWS, parquetFormat, SPLIT_ROWS } from '../../packages/io/src/parquet/index.js';
import { fileMeta } from '../../packages/io/src/parquet/metadata-cache.js';
import { parquetUnits } from '../../packages/io/src/parquet/units.js';
import type { WorkUnit } from '../../packages/io/src/types.js';
import { DuckDb, tempDir } from './support/duckdb.js';

describe('parquet describe: schema, types, units', () => {
  let db: DuckDb;
  const tmp = tempDir();
  beforeAll(async () => {
    db = await DuckDb.open();
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('classifies numeric, temporal, string and nested columns', async () => {
    const file = await db.writeParquet(
      join(tmp.dir, 'mixed.parquet'),
      `SELECT i::DOUBLE AS x, 'n' || i AS name, DATE '2020-01-01' + i::INTEGER AS day,
              TIMESTAMP '2020-01-01 00:00:00' + INTERVAL (i) SECOND AS ts,
              {'a': i, 'b': i * 2} AS s, [i, i + 1] AS l, (i % 7)::UBIGINT AS u,
              (i / 3)::DECIMAL(12, 4) AS dec, gen_random_uuid() AS id, i::HUGEINT AS h
       FROM range(100) t(i)`,
    );
    const shard = await parquetFormat.describe(file);
    expect(shard.info).toMatchObject({ file, format: 'parquet', rows: 100, rowsExact: true });
    const byName = Object.fromEntries(shard.columns.map((c) => [c.name, c]));
    expect(byName.x).toMatchObject({ sourceType: 'DOUBLE', numeric: true, nullable: true });
    expect(byName.name).toMatchObject({ sourceType: 'UTF8', numeric: false });
    expect(byName.day).toMatchObject({ sourceType: 'DATE', numeric: false });
    expect(byName.ts).toMatchObject({ sourceType: 'TIMESTAMP(MICROS)', numeric: false });
    expect(byName.s).toMatchObject({ numeric: false });
    expect(byName.l).toMatchObject({ sourceType: 'LIST', numeric: false });
    expect(byName.u).toMatchObject({ sourceType: 'UINT64', numeric: true });
    expect(byName.dec).toMatchObject({ sourceType: 'DECIMAL(12,4)', numeric: true });
    expect(byName.id?.numeric).toBe(false);
    expect(shard.columns.map((c) => c.name)).toEqual([
      'x',
      'name',
      'day',
      'ts',
      's',
      'l',
      'u',
      'dec',
      'id',
      'h',
    ]);

    // Columns after nested ones still find their chunk; temporal columns read as seconds since the epoch.
    const unit: WorkUnit = { ...(shard.units[0] as Omit<WorkUnit, 'index'>), index: 0 };
    const batches = [];
    for await (const b of parquetFormat.read(unit, ['u', 'day', 'ts', 'dec', 'x'], {
      batchRows: 64,
    }))
      batches.push(b);
    expect(batches.map((b) => b.rows)).toEqual([64, 36]);
    const second = batches[1];
    const row = 70 - 64;
    expect(second?.columns[0]?.[row]).toBe(70 % 7);
    expect(second?.columns[1]?.[row]).toBe((18262 + 70) * 86400); // a date is its midnight
    expect(second?.columns[2]?.[row]).toBe(1577836800 + 70);
    expect(second?.columns[3]?.[row]).toBe(23.3333);
    expect(second?.columns[4]?.[row]).toBe(70);
  });

  it('splits only large row groups that have an offset index, into contiguous pieces', () => {
    const chunk = (indexed: boolean) => ({
      file_offset: 0n,
      meta_data: { data_page_offset: 4n, total_compressed_size: 1000n },
      ...(indexed ? { offset_index_offset: 2000n, offset_index_length: 10 } : {}),
    });
    const big = 3 * SPLIT_ROWS + 17;
    const metadata = {
      row_groups: [
        { num_rows: BigInt(big), columns: [chunk(true), chunk(true)] },
        { num_rows: BigInt(big), columns: [chunk(true), chunk(false)] },
        { num_rows: 0n, columns: [chunk(true)] },
        { num_rows: 10n, columns: [chunk(true)] },
      ],
    } as unknown as Parameters<typeof parquetUnits>[1];
    const units = parquetUnits('f.parquet', metadata);
    const pieces = units.filter((u) => u.part === 0);
    expect(pieces.length).toBe(Math.ceil(big / PIECE_ROWS));
    expect(pieces[0]?.rowStart).toBe(0);
    expect(pieces.at(-1)?.rowEnd).toBe(big);
    pieces.forEach((p, k) => {
      if (k > 0) expect(p.rowStart).toBe(pieces[k - 1]?.rowEnd);
      expect(p.rowEnd - p.rowStart).toBeLessThanOrEqual(PIECE_ROWS);
      expect(p.label).toBe(`f.parquet row group 0 rows ${p.rowStart}-${p.rowEnd}`);
    });
    // Unindexed group whole; empty group skipped.
    expect(units.filter((u) => u.part === 1).map((u) => [u.rowStart, u.rowEnd])).toEqual([
      [0, big],
    ]);
    expect(units.filter((u) => u.part === 2)).toEqual([]);
    expect(units.filter((u) => u.part === 3).map((u) => u.label)).toEqual([
      'f.parquet row group 3',
    ]);
  });

  it('the hyparquet fallback and the fast path give the same bits', async () => {
    for (const version of ['v1', 'v2'] as const) {
      const file = await db.writeParquet(
        join(tmp.dir, `both-${version}.parquet`),
        `SELECT CASE WHEN i % 5 = 0 THEN NULL ELSE sin(i) END AS d, (i % 4)::INTEGER AS k,
                (i * 1000003)::BIGINT AS big, (i / 9)::DECIMAL(10, 3) AS dec, i % 2 = 0 AS b,
                CASE WHEN i % 3 = 0 THEN NULL ELSE i::FLOAT / 7 END AS f
         FROM range(3000) t(i)`,
        { version, rowGroupSize: 2048 },
      );
      const shard = await parquetFormat.describe(file);
      const names = ['d', 'k', 'big', 'dec', 'b', 'f'];
      let groupStart = 0;
      for (const [index, u] of shard.units.entries()) {
        const rows = u.rowEnd - u.rowStart;
        const fast: Float64Array[] = names.map(() => new Float64Array(rows));
        const fastNulls: Uint8Array[] = names.map(() => new Uint8Array(rows));
        let at = 0;
        for await (const b of parquetFormat.read({ ...u, index }, names, { batchRows: 1000 })) {
          b.columns.forEach((c, j) => {
            fast[j]?.set(c, at);
          });
          b.nulls.forEach((m, j) => {
            if (m !== null) fastNulls[j]?.set(m, at);
          });
          at += b.rows;
        }
        const bytes = await LocalBytes.open(file);
        try {
          const meta = await fileMeta(bytes);
          for (const [j, column] of names.entries()) {
            const cursor = await fallbackCursor({
              bytes,
              metadata: meta.metadata,
              column,
              rowStart: groupStart,
              rowEnd: groupStart + rows,
              where: u.label,
            });
            const values = new Float64Array(rows);
            const mask = new Uint8Array(rows);
            cursor.next(values, mask, 0, rows);
            expect(mask, `${version} ${column} nulls`).toEqual(fastNulls[j]);
            expect(values, `${version} ${column} values`).toEqual(fast[j]);
          }
        } finally {
          await bytes.close();
        }
        groupStart += rows;
      }
    }
  });
});
