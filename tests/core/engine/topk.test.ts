/**
 * The diagnostics' top rows (`--diagnostics`, `topK`): the k rows of largest
 * Cook's distance and of largest leverage through the real fit — files, the
 * pool, the residual pass — against R's `cooks.distance` and `hatvalues`
 * (fixtures by tests/fixtures/r/topk.R, R not needed to run this file); the
 * same lists for 1 and 2 workers and for 1 file or 7 shards; one list per
 * target; the model file, the text summary and --json.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createPool,
  fit as fitFiles,
  type LinregModel,
  type ModelDiagnostics,
  type ModelTopRow,
  modelToJson,
  parseModel,
  type WorkerPool,
} from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture, writeShardedRows } from '../support/r-fixtures.js';

interface RReference {
  readonly name: string;
  readonly features: string[];
  readonly weights: string | null;
  /** The filter the reference was fitted under (R's `subset`), or null. */
  readonly where: string | null;
  readonly k: number;
  readonly cookRows: number[];
  readonly cookValues: number[];
  readonly hatRows: number[];
  readonly hatValues: number[];
}

let pool: WorkerPool | undefined;
const shared = (): WorkerPool => {
  pool ??= createPool({ workers: 2 });
  return pool;
};
let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('topk');
  await writeShardedRows(root, 13);
});
afterAll(async () => {
  await pool?.destroy();
  if (root !== '') await rm(root, { recursive: true, force: true });
});

const diagnosticsOf = (model: LinregModel): ModelDiagnostics => {
  expect(model.diagnostics).toBeDefined();
  return model.diagnostics as ModelDiagnostics;
};

describe("top rows against R's cooks.distance and hatvalues (R 4.2.2)", () => {
  for (const name of ['plain', 'weighted', 'missing', 'where']) {
    it.each(['qr', 'normal'] as const)(
      `${name} (%s): the 5 rows exactly, their values to ≥ 10 digits`,
      async (solver) => {
        const ref = await readFixture<RReference>(`topk-${name}.json`);
        const file = fixturePath(`topk-${name}.csv`);
        const { model } = await fitFiles(
          {
            inputs: [file],
            target: 'y',
            features: ref.features,
            weights: ref.weights ?? undefined,
            where: ref.where ?? undefined,
            solver,
            diagnostics: true,
          },
          { pool: shared() },
        );
        const d = diagnosticsOf(model);
        const cook = d.topCook as readonly ModelTopRow[];
        const hat = d.topLeverage as readonly ModelTopRow[];
        expect(cook.map((r) => r.row)).toEqual(ref.cookRows);
        expect(hat.map((r) => r.row)).toEqual(ref.hatRows);
        expect(new Set([...cook, ...hat].map((r) => r.file))).toEqual(new Set([file]));
        cook.forEach((r, i) => {
          expect(digits(r.value, ref.cookValues[i] as number), `D row ${r.row}`).toBeGreaterThan(
            10,
          );
        });
        hat.forEach((r, i) => {
          expect(digits(r.value, ref.hatValues[i] as number), `h row ${r.row}`).toBeGreaterThan(10);
        });
      },
    );
  }

  it('rows keep their numbers across batches of 7 rows (dropped and filtered rows in between)', async () => {
    for (const name of ['missing', 'where', 'weighted']) {
      const ref = await readFixture<RReference>(`topk-${name}.json`);
      const { model } = await fitFiles(
        {
          inputs: [fixturePath(`topk-${name}.csv`)],
          target: 'y',
          features: ref.features,
          weights: ref.weights ?? undefined,
          where: ref.where ?? undefined,
          diagnostics: true,
          batchRows: 7,
        },
        { pool: shared() },
      );
      const d = diagnosticsOf(model);
      expect(
        d.topCook?.map((r) => r.row),
        name,
      ).toEqual(ref.cookRows);
      expect(
        d.topLeverage?.map((r) => r.row),
        name,
      ).toEqual(ref.hatRows);
    }
  });

  it('--top-k sets k (0: none, and no lists in the model)', async () => {
    const file = fixturePath('topk-plain.csv');
    const three = await fitFiles(
      { inputs: [file], target: 'y', diagnostics: true, topK: 3 },
      { pool: shared() },
    );
    const ref = await readFixture<RReference>('topk-plain.json');
    expect(three.model.diagnostics?.topCook?.map((r) => r.row)).toEqual(ref.cookRows.slice(0, 3));
    const none = await fitFiles(
      { inputs: [file], target: 'y', diagnostics: true, topK: 0 },
      { pool: shared() },
    );
    expect(none.model.diagnostics?.topCook).toBeUndefined();
    expect(none.model.diagnostics?.topLeverage).toBeUndefined();
    expect(none.model.diagnostics?.n).toBe(80);
    // Ridge has no hat matrix of R's lm: the diagnostics, no lists.
    const ridge = await fitFiles(
      { inputs: [file], target: 'y', diagnostics: true, ridge: 0.5 },
      { pool: shared() },
    );
    expect(ridge.model.diagnostics?.n).toBe(80);
    expect(ridge.model.diagnostics?.topCook).toBeUndefined();
  });
});

describe('top rows through the engine', () => {
  const run = (dir: string, workers: number) =>
    fitFiles({ inputs: [join(root, dir)], target: 'y', diagnostics: true, refine: 'off', workers });

  it('the same lists, bit for bit, for 1 and 2 workers over 7 shards of many units', async () => {
    const one = await run('seven', 1);
    const two = await run('seven', 2);
    expect(one.stats.units).toBeGreaterThan(7);
    const a = diagnosticsOf(one.model);
    const b = diagnosticsOf(two.model);
    expect(a.topCook).toHaveLength(5);
    expect(a.topLeverage).toHaveLength(5);
    expect(b.topCook).toEqual(a.topCook);
    expect(b.topLeverage).toEqual(a.topLeverage);
    // Rows from more than one shard: the lists are placed in their files.
    expect(new Set(a.topCook?.map((r) => r.file)).size).toBeGreaterThan(1);
  });

  it('7 shards list the rows 1 file lists, placed in their shard', async () => {
    const seven = diagnosticsOf((await run('seven', 2)).model);
    const single = diagnosticsOf((await run('one', 2)).model);
    // A shard's rows follow the earlier shards' rows in the one file.
    const starts = await shardStarts(join(root, 'seven'));
    const global = (r: ModelTopRow): number => (starts.get(r.file) ?? Number.NaN) + r.row;
    for (const key of ['topCook', 'topLeverage'] as const) {
      const s = seven[key] as readonly ModelTopRow[];
      const o = single[key] as readonly ModelTopRow[];
      expect(s.map(global), key).toEqual(o.map((r) => r.row));
      s.forEach((r, i) => {
        expect(digits(r.value, (o[i] as ModelTopRow).value), key).toBeGreaterThan(10);
      });
    }
  });

  it('one list per target (-y y1,y2), each its single fit’s', async () => {
    const text = await readFile(fixturePath('topk-plain.csv'), 'utf8');
    const lines = text.trim().split('\n');
    const two = [
      'x1,x2,y1,y2',
      ...lines.slice(1).map((l, i) => {
        const [x1, x2, y] = l.split(',').map(Number) as [number, number, number];
        return `${x1},${x2},${y},${(3 - x2 + Math.sin(i) * (i === 40 ? 9 : 1)).toPrecision(17)}`;
      }),
    ];
    const data = join(root, 'targets.csv');
    await writeFile(data, `${two.join('\n')}\n`);
    const both = await runCli([
      'fit',
      data,
      '-y',
      'y1,y2',
      '--features',
      'x1,x2',
      '--diagnostics',
      '--json',
      '-q',
    ]);
    expect(both.stderr).toBe('');
    expect(both.code).toBe(0);
    const models = JSON.parse(both.stdout).models as LinregModel[];
    expect(models).toHaveLength(2);
    for (const [j, target] of ['y1', 'y2'].entries()) {
      const alone = await fitFiles(
        { inputs: [data], target, features: ['x1', 'x2'], diagnostics: true },
        { pool: shared() },
      );
      const want = diagnosticsOf(alone.model);
      const got = models[j]?.diagnostics as ModelDiagnostics;
      for (const key of ['topCook', 'topLeverage'] as const) {
        const g = got[key] as readonly ModelTopRow[];
        expect(
          g.map((r) => r.row),
          `${target} ${key}`,
        ).toEqual(want[key]?.map((r) => r.row));
        g.forEach((r, i) => {
          const w = (want[key] as readonly ModelTopRow[])[i] as ModelTopRow;
          expect(digits(r.value, w.value)).toBeGreaterThan(10);
        });
      }
    }
    // The targets' Cook's lists differ (y2 has its own outlier), their leverages do not.
    expect(models[1]?.diagnostics?.topCook?.[0]?.row).toBe(41);
    expect(models[0]?.diagnostics?.topCook?.[0]?.row).toBe(17);
    expect(models[1]?.diagnostics?.topLeverage?.map((r) => r.row)).toEqual(
      models[0]?.diagnostics?.topLeverage?.map((r) => r.row),
    );
  });
});

/** Rows of the shards of `dir` before each one, the shards concatenated in name order. */
async function shardStarts(dir: string): Promise<Map<string, number>> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.parquet')).sort();
  const starts = new Map<string, number>();
  let before = 0;
  for (const name of names) {
    const { model: m } = await fitFiles({ inputs: [join(dir, name)], target: 'y' });
    starts.set(join(dir, name), before);
    before += m.rows.read;
  }
  expect(before).toBe(5000);
  return starts;
}

describe('the model file, the summary and --json', () => {
  it('round-trips the lists; a model written before them still reads', async () => {
    const { model } = await fitFiles(
      { inputs: [fixturePath('topk-weighted.csv')], target: 'y', weights: 'w', diagnostics: true },
      { pool: shared() },
    );
    const back = parseModel(modelToJson(model));
    expect(back.diagnostics).toEqual(model.diagnostics);
    const old = JSON.parse(modelToJson(model));
    delete old.diagnostics.topCook;
    delete old.diagnostics.topLeverage;
    const read = parseModel(JSON.stringify(old));
    expect(read.diagnostics?.topCook).toBeUndefined();
    expect(read.diagnostics?.n).toBe(model.diagnostics?.n);
    const bad = JSON.parse(modelToJson(model));
    bad.diagnostics.topCook[0].row = -1;
    expect(() => parseModel(JSON.stringify(bad))).toThrow(/diagnostics\.topCook\[0\]\.row/);
  });

  it('prints both lists under the diagnostics block, and --json carries them', async () => {
    const file = fixturePath('topk-plain.csv');
    const run = await runCli(['fit', file, '-y', 'y', '--diagnostics', '--top-k', '2', '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(
      `Largest Cook's distance: rows of ${file}: 17 (3.591), 54 (0.08823)`,
    );
    expect(run.stdout).toContain(
      `Largest leverage (hat): rows of ${file}: 17 (0.3701), 22 (0.08266)`,
    );
    const json = await runCli(['fit', file, '-y', 'y', '--diagnostics', '--json', '-q']);
    expect(json.code).toBe(0);
    const d = JSON.parse(json.stdout).diagnostics;
    expect(d.topCook.map((r: ModelTopRow) => r.row)).toEqual([17, 54, 22, 56, 40]);
    expect(d.topLeverage[0]).toEqual({ file, row: 17, value: expect.any(Number) });
    const bad = await runCli(['fit', file, '-y', 'y', '--diagnostics', '--top-k', '101']);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});
