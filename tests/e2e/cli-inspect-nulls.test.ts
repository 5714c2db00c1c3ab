/** `linreg inspect` prints each column's null count: Parquet's from the footer, '-' when unknown (CSV). */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDb, tempDir } from '../io/support/duckdb.js';
import { runCli } from './cli-harness.js';

const tmp = tempDir('linreg-e2e-inspect-nulls-');
let parquet = '';
beforeAll(async () => {
  const db = await DuckDb.open();
  try {
    parquet = await db.writeParquet(
      join(tmp.dir, 'data.parquet'),
      `SELECT CASE WHEN i % 4 = 0 THEN NULL ELSE i::DOUBLE END AS x, i::DOUBLE AS y
       FROM range(1000) t(i)`,
    );
  } finally {
    db.close();
  }
});
afterAll(() => tmp.cleanup());

/** The cells of the column table's row for `name`. */
function columnRow(stdout: string, name: string): string[] {
  const lines = stdout.split('\n');
  const header = lines.findIndex((l) => l.startsWith('column '));
  expect(lines[header]?.split(/\s+/)).toEqual(['column', 'type', 'numeric', 'nullable', 'nulls']);
  const row = lines.slice(header + 1).find((l) => l.split(/\s+/)[0] === name);
  return row?.split(/\s+/) ?? [];
}

describe('linreg inspect null counts', () => {
  it('prints the Parquet footer null counts', async () => {
    const run = await runCli(['inspect', parquet]);
    expect(run.code).toBe(0);
    expect(columnRow(run.stdout, 'x').at(-1)).toBe('250');
    expect(columnRow(run.stdout, 'y').at(-1)).toBe('0');
    const json = JSON.parse((await runCli(['inspect', parquet, '--json'])).stdout) as {
      columns: { name: string; nullCount?: number }[];
    };
    expect(json.columns.map((c) => c.nullCount)).toEqual([250, 0]);
  });

  it("prints '-' when the format does not state it (CSV)", async () => {
    const csv = join(tmp.dir, 'data.csv');
    await writeFile(csv, 'x,y\n1,\n2,3\n');
    const run = await runCli(['inspect', csv]);
    expect(run.code).toBe(0);
    expect(columnRow(run.stdout, 'x').at(-1)).toBe('-');
  });
});
