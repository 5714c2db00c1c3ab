/**
 * One table, one formula, every way the factor's text can be stored: CSV,
 * Parquet dictionary pages (DuckDB), Parquet PLAIN byte arrays
 * (hyparquet-writer), Arrow Utf8 and Arrow Dictionary — and a hive-partitioned
 * directory whose `region` and `year` come from the paths. Each gives the
 * same names and, to rounding, the same coefficients as the in-memory fit.
 */
import { writeFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createPool,
  fit as fitFiles,
  type LinregModel,
  memorySource,
  type WorkerPool,
} from '@linreg/core';
import {
  Dictionary,
  Float64,
  Int32,
  makeData,
  Table,
  tableToIPC,
  Utf8,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../../e2e/cli-harness.js';
import { DuckDb, tempDir } from '../../io/support/duckdb.js';
import { parquetWriteFile } from '../../io/support/parquet-writer.js';

const N = 3000;
const LEVELS = ['north', 'south', 'east', 'west', 'ünïcödé'];
const x = Float64Array.from({ length: N }, (_, i) => ((i * 37) % 101) / 10);
const g: (string | null)[] = Array.from({ length: N }, (_, i) =>
  i % 23 === 0 ? null : (LEVELS[(i * 7) % 5] as string),
);
const y = Float64Array.from(
  { length: N },
  (_, i) => 1 + 0.3 * (x[i] as number) + ((i * 7) % 5) * 0.8 + ((i * 13) % 17) / 40,
);
const FORMULA = 'y ~ x * g';

const tmp = tempDir('linreg-formula-sources-');
let pool: WorkerPool;
let reference: LinregModel;

beforeAll(async () => {
  requireBuild();
  pool = createPool({ workers: 2 });
  reference = (await fitFiles({ formula: FORMULA }, { source: memorySource([{ x, g, y }]) })).model;
});

afterAll(async () => {
  await pool.destroy();
  tmp.cleanup();
});

async function fitFile(path: string, formula = FORMULA): Promise<LinregModel> {
  return (await fitFiles({ inputs: [path], formula, workers: 2, batchRows: 1000 }, { pool })).model;
}

function expectReference(model: LinregModel): void {
  expect(model.features).toEqual(reference.features);
  expect(model.rows.used).toBe(reference.rows.used);
  model.coefficients.forEach((c, j) => {
    const r = reference.coefficients[j]?.estimate as number;
    expect(Math.abs(c.estimate - r)).toBeLessThan(1e-10 * (1 + Math.abs(r)));
  });
}

describe('a factor stored as', () => {
  it('CSV text', async () => {
    const lines = [
      'x,g,y',
      ...Array.from({ length: N }, (_, i) => `${x[i]},${g[i] ?? ''},${y[i]}`),
    ];
    const path = join(tmp.dir, 't.csv');
    writeFileSync(path, `${lines.join('\n')}\n`);
    expectReference(await fitFile(path));
  });

  it('Parquet dictionary pages (DuckDB)', async () => {
    const db = await DuckDb.open();
    try {
      const csv = join(tmp.dir, 'src.csv');
      writeFileSync(
        csv,
        ['x,g,y', ...Array.from({ length: N }, (_, i) => `${x[i]},${g[i] ?? ''},${y[i]}`)].join(
          '\n',
        ),
      );
      const path = join(tmp.dir, 'dict.parquet');
      await db.writeParquet(
        path,
        `SELECT x::DOUBLE AS x, g::VARCHAR AS g, y::DOUBLE AS y FROM read_csv('${csv}', header = true, all_varchar = true)`,
        { rowGroupSize: 1000 },
      );
      expectReference(await fitFile(path));
    } finally {
      db.close();
    }
  });

  it('Parquet PLAIN byte arrays (hyparquet-writer)', async () => {
    const path = join(tmp.dir, 'plain.parquet');
    parquetWriteFile({
      filename: path,
      rowGroupSize: 1200,
      columnData: [
        { name: 'x', data: Array.from(x) },
        { name: 'g', data: g, encoding: 'PLAIN' },
        { name: 'y', data: Array.from(y) },
      ],
      schema: [
        { name: 'root', num_children: 3 },
        { name: 'x', type: 'DOUBLE', repetition_type: 'REQUIRED' },
        {
          name: 'g',
          type: 'BYTE_ARRAY',
          converted_type: 'UTF8',
          logical_type: { type: 'STRING' },
          repetition_type: 'OPTIONAL',
        },
        { name: 'y', type: 'DOUBLE', repetition_type: 'REQUIRED' },
      ],
    });
    expectReference(await fitFile(path));
  });

  it('Arrow Utf8 and Arrow Dictionary<Int32, Utf8>', async () => {
    const utf8 = new Table({
      x: vectorFromArray(Array.from(x), new Float64()),
      g: vectorFromArray(g, new Utf8()),
      y: vectorFromArray(Array.from(y), new Float64()),
    });
    const a = join(tmp.dir, 'utf8.arrow');
    await writeFile(a, tableToIPC(utf8, 'file'));
    expectReference(await fitFile(a));

    const dictionary = vectorFromArray(LEVELS, new Utf8());
    const indices = Int32Array.from(g, (v) => (v === null ? 0 : LEVELS.indexOf(v)));
    const validity = new Uint8Array(Math.ceil(N / 8));
    g.forEach((v, i) => {
      if (v !== null) validity[i >> 3] = (validity[i >> 3] as number) | (1 << (i & 7));
    });
    const type = new Dictionary(new Utf8(), new Int32(), 0);
    const data = makeData({
      type,
      length: N,
      nullCount: g.filter((v) => v === null).length,
      data: indices,
      nullBitmap: validity,
      dictionary: dictionary,
    });
    const dict = new Table({
      x: vectorFromArray(Array.from(x), new Float64()),
      g: new Vector([data]),
      y: vectorFromArray(Array.from(y), new Float64()),
    });
    const b = join(tmp.dir, 'dict.arrow');
    await writeFile(b, tableToIPC(dict, 'file'));
    expectReference(await fitFile(b));
  });
});

describe('a hive-partitioned directory', () => {
  it('gives columns from the paths: integers for digits, text as a factor', async () => {
    const root = join(tmp.dir, 'hive');
    const parts: { region: string; year: number; rows: number[] }[] = [];
    for (const [k, region] of ['EU', 'US West'].entries()) {
      for (const year of [2023, 2024]) {
        parts.push({
          region,
          year,
          rows: Array.from({ length: N }, (_, i) => i).filter(
            (i) => i % 4 === k * 2 + (year - 2023),
          ),
        });
      }
    }
    const yy = (i: number, region: string, year: number): number =>
      (y[i] as number) + (region === 'EU' ? 0 : 1.5) + 0.25 * (year - 2023);
    for (const p of parts) {
      const dir = join(root, `region=${encodeURIComponent(p.region)}`, `year=${p.year}`);
      await mkdir(dir, { recursive: true });
      const lines = ['x,y', ...p.rows.map((i) => `${x[i]},${yy(i, p.region, p.year)}`)];
      await writeFile(join(dir, 'part-0.csv'), `${lines.join('\n')}\n`);
    }
    const model = await fitFile(root, 'y ~ x + region + year');
    expect(model.features).toEqual(['x', 'regionUS West', 'year']);
    const ref = (
      await fitFiles(
        { formula: 'y ~ x + region + year' },
        {
          source: memorySource(
            parts.map((p) => ({
              x: Float64Array.from(p.rows, (i) => x[i] as number),
              region: p.rows.map(() => p.region),
              year: Float64Array.from(p.rows, () => p.year),
              y: Float64Array.from(p.rows, (i) => yy(i, p.region, p.year)),
            })),
          ),
        },
      )
    ).model;
    model.coefficients.forEach((c, j) => {
      const r = ref.coefficients[j]?.estimate as number;
      expect(Math.abs(c.estimate - r)).toBeLessThan(1e-9 * (1 + Math.abs(r)));
    });
    // y moves by 1.5 in 'US West' and 0.25 a year; the rest of y is not in the model, so about.
    expect(model.coefficients.find((c) => c.name === 'regionUS West')?.estimate).toBeCloseTo(
      1.5,
      2,
    );
    expect(model.coefficients.find((c) => c.name === 'year')?.estimate).toBeCloseTo(0.25, 2);
  });
});
