/**
 * What the tests against R fixtures share: where the fixtures are (written by
 * the scripts in tests/fixtures/r/, committed, so R is not needed to run the
 * tests), reading one, and digits of agreement.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateDataset } from '@linreg/io';

export const R_FIXTURES = fileURLToPath(new URL('../../fixtures/r/', import.meta.url));

/** The path of fixture `file` (e.g. 'robust-hetero.csv'). */
export const fixturePath = (file: string): string => join(R_FIXTURES, file);

/** A fixture's JSON, as the R script wrote it. */
export async function readFixture<T>(file: string): Promise<T> {
  return JSON.parse(await readFile(fixturePath(file), 'utf8')) as T;
}

/** Significant digits of agreement: −log10 of the relative difference (Infinity when equal). */
export function digits(a: number, b: number): number {
  if (a === b) return Number.POSITIVE_INFINITY;
  return -Math.log10(Math.abs(a - b) / Math.abs(b));
}

/**
 * The same 5,000 generated rows (4 features) as 7 Parquet shards of 300-row
 * groups (`root/seven`) and as 1 file of one group (`root/one`): for worker-
 * and shard-count checks of a pass.
 */
export async function writeShardedRows(root: string, seed: number): Promise<void> {
  for (const [dir, shards, rowGroupRows] of [
    ['seven', 7, 300],
    ['one', 1, 5000],
  ] as const) {
    await generateDataset({
      dir: join(root, dir),
      rows: 5000,
      cols: 4,
      shards,
      format: 'parquet',
      seed,
      rowGroupRows,
    });
  }
}
