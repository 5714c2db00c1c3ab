/**
 * Parquet footers parsed by another thread (io's footer-seeds.ts, given to
 * pool workers by core's worker-boot.ts): cachedFooters hands out what this
 * thread parsed, with the file's size and version; a seed is used for its
 * file's first read only while the file still has that size and version.
 * A seed is proved used (or not) by a doctored copy that claims no row groups.
 */
import { copyFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import {
  cachedFooters,
  type FooterSeed,
  generateDataset,
  planInputs,
  readUnit,
  stampOf,
  type WorkUnit,
} from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFooters } from '../../packages/io/src/read-unit.js';
import { tempDir } from './support/duckdb.js';

const tmp = tempDir('linreg-footer-seeds-');
afterAll(() => tmp.cleanup());

let source = '';
let seed: FooterSeed | undefined;
beforeAll(async () => {
  await generateDataset({
    dir: join(tmp.dir, 'data'),
    rows: 600,
    cols: 2,
    shards: 1,
    format: 'parquet',
    seed: 5,
    rowGroupRows: 200,
  });
  source = join(tmp.dir, 'data', 'part-00000.parquet');
  // Planning parses the footer in this thread.
  await planInputs([source]);
  [seed] = cachedFooters([source, source, join(tmp.dir, 'not-parsed.parquet')]);
});

/** A copy of the source with its own path (this thread has not parsed its footer). */
function copy(name: string): string {
  const file = join(tmp.dir, name);
  copyFileSync(source, file);
  return file;
}

/** The seed for `file`, claiming no row groups, at `stamp`. */
function doctored(file: string, stamp: { size: number; version: string }): FooterSeed {
  const metadata = { ...(seed as FooterSeed).metadata, row_groups: [] };
  return { file, size: stamp.size, version: stamp.version, metadata };
}

/** Rows read from row group 1 of `file` (planned as the source, so this thread does not parse `file`'s footer). */
async function rowsOf(file: string): Promise<number> {
  const unit = (await planInputs([source])).units[1] as WorkUnit;
  let rows = 0;
  for await (const b of readUnit({ ...unit, file }, ['x0', 'y'], { batchRows: 1000 }))
    rows += b.rows;
  return rows;
}

describe('footer seeds', () => {
  it('hands out the footers this thread parsed, each file once, with size and version', async () => {
    expect(seed).toBeDefined();
    const stamp = await stampOf(source);
    expect(seed?.file).toBe(source);
    expect(seed?.size).toBe(stamp.size);
    expect(seed?.version).toBe(stamp.version);
    expect(seed?.metadata.row_groups).toHaveLength(3);
    // Without the chunks' statistics, which only planning reads (this thread keeps them).
    const chunk = seed?.metadata.row_groups[0]?.columns[0]?.meta_data;
    expect(chunk?.num_values).toBe(200n);
    expect(chunk?.statistics).toBeUndefined();
    // …while this thread's footer still has them: planning counts nulls from them.
    const planned = (await planInputs([source])).shards[0]?.columns;
    expect(planned?.find((c) => c.name === 'x0')?.nullCount).toBe(0);
    expect(cachedFooters([source, source])).toHaveLength(1);
  });

  it('is used for the first read of a file at the same size and version', async () => {
    const file = copy('same.parquet');
    seedFooters([doctored(file, await stampOf(file))]);
    // The doctored footer has no row groups: the read says so, so the seed was used.
    await expect(rowsOf(file)).rejects.toThrow(/has 0 row groups, no 1/);
    // …once: the footer cache now holds it.
    await expect(rowsOf(file)).rejects.toThrow(/has 0 row groups, no 1/);
  });

  it('is ignored when the file changed since it was parsed', async () => {
    const file = copy('changed.parquet');
    const stamp = await stampOf(file);
    seedFooters([doctored(file, stamp)]);
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    expect((await stampOf(file)).version).not.toBe(stamp.version);
    // The real footer is read: unit 1 has its 200 rows.
    expect(await rowsOf(file)).toBe(200);
  });
});
