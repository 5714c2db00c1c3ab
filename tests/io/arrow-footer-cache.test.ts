/**
 * Arrow IPC file units read the footer once per file per thread: the cached
 * schema and block index give the same batches as apache-arrow's own reader,
 * a changed file (size or mtime) is parsed again, and the cache stays bounded.
 */
import { readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { join } from 'node:path';
import { type ColumnBatch, IoError, type Plan, planInputs, readUnit } from '@linreg/io';
import {
  Dictionary,
  Int32,
  Int64,
  makeData,
  makeVector,
  RecordBatch,
  Table,
  tableFromIPC,
  tableToIPC,
  Utf8,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { readFileBatch } from '../../packages/io/src/arrow/file-batch.js';
import { type ArrowFileMeta, arrowFileMeta } from '../../packages/io/src/arrow/footer-cache.js';
import { tempDir } from './support/duckdb.js';

const tmp = tempDir('linreg-arrow-cache-');
afterAll(() => tmp.cleanup());

/** One dictionary type (and id) for every batch, so the batches share a schema. */
const TAG = new Dictionary(new Utf8(), new Int32(), 0);
/** …and one dictionary: the file format allows no replacement. */
const TAGS = vectorFromArray(['t0', 't1', 't2'], new Utf8());

/** A batch of n rows: a Float64 with nulls, an Int64 and a dictionary-encoded string column. */
function batch(seed: number, n: number): RecordBatch {
  const x = Array.from({ length: n }, (_, i) => (i % 4 === 1 ? null : seed * 1000 + i / 8));
  const k = BigInt64Array.from({ length: n }, (_, i) => BigInt(seed) * 2n ** 40n + BigInt(i));
  return new RecordBatch({
    x: vectorFromArray(x).data[0],
    k: makeVector(makeData({ type: new Int64(), data: k, length: n })).data[0],
    tag: makeData({
      type: TAG,
      data: Int32Array.from({ length: n }, (_, i) => i % 3),
      length: n,
      dictionary: TAGS,
    }),
  } as never);
}

function writeArrow(name: string, seeds: readonly number[], n: number): string {
  const file = join(tmp.dir, name);
  writeFileSync(file, tableToIPC(new Table(seeds.map((s) => batch(s, n))), 'file'));
  return file;
}

async function readPlan(plan: Plan, columns: readonly string[]): Promise<number[][]> {
  const out: number[][] = columns.map(() => []);
  for (const unit of plan.units) {
    for await (const b of readUnit(unit, columns, { batchRows: 7 })) collect(b, out);
  }
  return out;
}

function collect(b: ColumnBatch, out: number[][]): void {
  b.columns.forEach((values, j) => {
    for (let i = 0; i < b.rows; i++) {
      out[j]?.push(b.nulls[j]?.[i] === 1 ? Number.NaN : (values[i] as number));
    }
  });
}

/** apache-arrow's own reading of the whole file, as the reference. */
function reference(file: string, bytes: Uint8Array, columns: readonly string[]): number[][] {
  const table = tableFromIPC(bytes);
  return columns.map((name) => {
    const column = table.getChild(name);
    if (column === null) throw new Error(`${file}: no ${name}`);
    return Array.from(column, (v: unknown) => (v === null ? Number.NaN : Number(v)));
  });
}

async function metaOf(file: string): Promise<ArrowFileMeta> {
  const handle = await open(file, 'r');
  try {
    return await arrowFileMeta(handle, file, String((await handle.stat()).mtimeMs));
  } finally {
    await handle.close();
  }
}

describe('Arrow footer cache', () => {
  it('parses a footer once and reads the same values as apache-arrow', async () => {
    const file = writeArrow('a.arrow', [1, 2, 3], 25);
    const plan = await planInputs([file]);
    expect(plan.units).toHaveLength(3);
    const first = await metaOf(file);
    expect(await metaOf(file)).toBe(first);
    expect(first.batches.map((b) => b.offset)).toEqual(plan.units.map((u) => u.byteStart));
    const columns = ['x', 'k'];
    const once = await readPlan(plan, columns);
    const twice = await readPlan(plan, columns);
    expect(twice).toEqual(once);
    expect(once).toEqual(reference(file, readFileSync(file), columns));
    expect(await metaOf(file)).toBe(first);
    // The dictionary column decodes without its dictionary and is refused as non-numeric.
    const unit = plan.units[0];
    if (unit === undefined) throw new Error('no unit');
    await expect(readPlan({ ...plan, units: [unit] }, ['tag'])).rejects.toThrow(
      /tag: .*is not numeric/,
    );
  });

  it('reads a batch the same through the re-encoded schema and through the footer', async () => {
    const file = writeArrow('same.arrow', [3, 4], 9);
    const plan = await planInputs([file]);
    const handle = await open(file, 'r');
    try {
      const meta = await arrowFileMeta(handle, file, String((await handle.stat()).mtimeMs));
      expect(meta.schemaMessage).not.toBeNull();
      for (const unit of plan.units) {
        const viaStream = await readFileBatch(handle, meta, unit);
        const viaFooter = await readFileBatch(handle, { ...meta, schemaMessage: null }, unit);
        for (const name of ['x', 'k']) {
          expect(viaStream.getChild(name)?.toArray()).toEqual(viaFooter.getChild(name)?.toArray());
        }
        expect(viaStream.getChild('tag')?.data[0]?.values).toEqual(
          viaFooter.getChild('tag')?.data[0]?.values,
        );
      }
    } finally {
      await handle.close();
    }
  });

  it('re-reads a file whose size or mtime changed, and rejects a unit planned before', async () => {
    const file = writeArrow('b.arrow', [1, 2], 10);
    const stale = await planInputs([file]);
    const before = await metaOf(file);
    expect((await readPlan(stale, ['k']))[0]?.[0]).toBe(2 ** 40);

    // A different size: three batches of 12 rows.
    writeArrow('b.arrow', [5, 6, 7], 12);
    const after = await metaOf(file);
    expect(after).not.toBe(before);
    expect(after.batches).toHaveLength(3);
    const plan = await planInputs([file]);
    expect(await readPlan(plan, ['x', 'k'])).toEqual(
      reference(file, readFileSync(file), ['x', 'k']),
    );
    // A unit of the old plan no longer matches the file's record batches.
    const old = stale.units[1];
    if (old === undefined) throw new Error('no unit');
    const error = await readPlan({ ...stale, units: [old] }, ['k']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IoError);
    expect((error as IoError).code).toBe('schema-mismatch');

    // Same size, other values, other mtime: parsed again.
    const size = statSync(file).size;
    const sameSize = writeArrow('b.arrow', [8, 9, 10], 12);
    expect(statSync(sameSize).size).toBe(size);
    utimesSync(sameSize, new Date(1_700_000_000_000), new Date(1_700_000_000_000));
    const again = await metaOf(file);
    expect(again).not.toBe(after);
    expect((await readPlan(plan, ['k']))[0]?.[0]).toBe(8 * 2 ** 40);
  });

  it('keeps a bounded number of footers, least recently used out first', async () => {
    const files = Array.from({ length: 10 }, (_, i) => writeArrow(`c${i}.arrow`, [i], 5));
    const first = await metaOf(files[0] as string);
    for (const file of files.slice(1)) await metaOf(file);
    // Ten files through a cache of eight: the first was evicted, the last is kept.
    expect(await metaOf(files[0] as string)).not.toBe(first);
    const last = await metaOf(files[9] as string);
    expect(await metaOf(files[9] as string)).toBe(last);
  });
});
