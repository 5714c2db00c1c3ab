import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IoError } from '@linreg/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBytes } from '../../packages/io/src/bytes/local-bytes.js';
import { parquetFormat } from '../../packages/io/src/parquet/index.js';
import { fileMeta } from '../../packages/io/src/parquet/metadata-cache.js';
import type { WorkUnit } from '../../packages/io/src/types.js';
import { DuckDb, tempDir } from './support/duckdb.js';

async function readEverything(file: string, columns: readonly string[]): Promise<number> {
  const shard = await parquetFormat.describe(file);
  let rows = 0;
  for (const [index, u] of shard.units.entries()) {
    for await (const b of parquetFormat.read({ ...u, index }, columns, { batchRows: 1000 }))
      rows += b.rows;
  }
  return rows;
}

async function ioError(promise: Promise<unknown>): Promise<IoError> {
  try {
    await promise;
  } catch (e: unknown) {
    if (e instanceof IoError) return e;
    throw new Error(`expected an IoError, got ${String(e)}`);
  }
  throw new Error('expected an IoError, the read succeeded');
}

describe('parquet bad input: IoError naming file, column and place', () => {
  let db: DuckDb;
  const tmp = tempDir();
  let good: string;
  beforeAll(async () => {
    db = await DuckDb.open();
    good = await db.writeParquet(
      join(tmp.dir, 'good.parquet'),
      `SELECT (i % 10)::DOUBLE AS x, i::BIGINT AS n, 'row ' || i AS label FROM range(5000) t(i)`,
      { rowGroupSize: 2048 },
    );
  });
  afterAll(() => {
    db.close();
    tmp.cleanup();
  });

  it('a missing file is not-found', async () => {
    const e = await ioError(parquetFormat.describe(join(tmp.dir, 'nope.parquet')));
    expect(e.code).toBe('not-found');
    expect(e.file).toContain('nope.parquet');
  });

  it('a file cut short is truncated; a file that is not Parquet is bad-format', async () => {
    const bytes = readFileSync(good);
    const cut = join(tmp.dir, 'cut.parquet');
    writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const e1 = await ioError(parquetFormat.describe(cut));
    expect(e1.code).toBe('truncated');
    expect(e1.message).toContain(cut);

    const csv = join(tmp.dir, 'data.parquet');
    writeFileSync(csv, 'x,y\n1,2\n3,4\n5,6\n');
    const e2 = await ioError(parquetFormat.describe(csv));
    expect(e2.code).toBe('bad-format');

    const tiny = join(tmp.dir, 'tiny.parquet');
    writeFileSync(tiny, 'PAR1');
    expect((await ioError(parquetFormat.describe(tiny))).code).toBe('truncated');

    const empty = join(tmp.dir, 'empty.parquet');
    writeFileSync(empty, '');
    expect((await ioError(parquetFormat.describe(empty))).code).toBe('empty');
  });

  it('a footer length past the start of the file is corrupt', async () => {
    const bytes = Buffer.from(readFileSync(good));
    bytes.writeUInt32LE(bytes.length * 2, bytes.length - 8);
    const bad = join(tmp.dir, 'badlen.parquet');
    writeFileSync(bad, bytes);
    const e = await ioError(parquetFormat.describe(bad));
    expect(e.code).toBe('corrupt');
    expect(e.where).toBe('footer');
  });

  it('a missing column and a string column are named', async () => {
    const shard = await parquetFormat.describe(good);
    const unit: WorkUnit = { ...(shard.units[1] as Omit<WorkUnit, 'index'>), index: 1 };
    const missing = await ioError(readEverything(good, ['x', 'nope']));
    expect(missing).toMatchObject({ code: 'missing-column', column: 'nope', file: good });
    const text = await ioError(readEverything(good, ['label']));
    expect(text).toMatchObject({ code: 'non-numeric', column: 'label' });
    expect(text.message).toContain('row group 0');
    const badBatch = await ioError(
      (async () => {
        for await (const _ of parquetFormat.read(unit, ['x'], { batchRows: 0 })) break;
      })(),
    );
    expect(badBatch.code).toBe('bad-value');
  });

  it('a damaged page header is corrupt, naming column, row group and page', async () => {
    const bytes = Buffer.from(readFileSync(good));
    const handle = await LocalBytes.open(good);
    const meta = await fileMeta(handle);
    await handle.close();
    const chunk = meta.metadata.row_groups[1]?.columns[1]?.meta_data;
    if (chunk === undefined) throw new Error('no chunk');
    const at = Number(chunk.dictionary_page_offset ?? chunk.data_page_offset);
    bytes.fill(0xff, at, at + 8);
    const bad = join(tmp.dir, 'badpage.parquet');
    writeFileSync(bad, bytes);
    expect(await readEverything(bad, ['x'])).toBe(5000);
    const e = await ioError(readEverything(bad, ['x', 'n']));
    expect(e).toMatchObject({ code: 'corrupt', file: bad, column: 'n' });
    expect(e.where).toMatch(/^row group 1 page \d+$/);
  });

  it('random byte damage never hangs and never throws anything but IoError', async () => {
    const pristine = readFileSync(good);
    const handle = await LocalBytes.open(good);
    const meta = await fileMeta(handle);
    await handle.close();
    const dataEnd = pristine.length - 8 - meta.metadata.metadata_length;
    let seed = 12345;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 4294967296;
    };
    let failures = 0;
    for (let trial = 0; trial < 40; trial++) {
      const bytes = Buffer.from(pristine);
      const at = 4 + Math.floor(next() * (dataEnd - 4));
      for (let k = 0; k < 4; k++) bytes[at + k] = Math.floor(next() * 256);
      const file = join(tmp.dir, `fuzz-${trial}.parquet`);
      writeFileSync(file, bytes);
      try {
        await readEverything(file, ['x', 'n']);
      } catch (e: unknown) {
        if (!(e instanceof IoError)) throw new Error(`trial ${trial} byte ${at}: ${String(e)}`);
        failures++;
      }
    }
    // Damage inside a compressed literal can go unseen (no page CRC), but most is caught.
    expect(failures).toBeGreaterThan(0);
  });

  it('a file rewritten after describe is re-read, not served from a stale footer', async () => {
    const copy = join(tmp.dir, 'copy.parquet');
    copyFileSync(good, copy);
    expect(await readEverything(copy, ['x'])).toBe(5000);
    await db.writeParquet(copy, 'SELECT i::DOUBLE AS x FROM range(7) t(i)');
    expect(await readEverything(copy, ['x'])).toBe(7);
  });
});
