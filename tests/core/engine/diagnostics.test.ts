/**
 * Residual diagnostics (`diagnostics`) through the real fit — files, the
 * pool, the `diagnostics` pass — against R (lmtest::bptest and dwtest,
 * tseries::jarque.bera.test, scipy's omnibus test reproduced in R; fixtures
 * written by tests/fixtures/r/diagnostics.R, R is not needed to run this
 * file), and the state's merge against one pass over all rows.
 */
import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  fit as fitFiles,
  type LinregModel,
  type ModelDiagnostics,
  modelToJson,
  parseModel,
} from '@linreg/core';
import { openWriter } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DiagnosticsAccumulator,
  diagnosticsSums,
  mergeDiagnosticsStates,
} from '../../../packages/core/src/numerics/diagnostics/index.js';
import { readAll, requireBuild, runCli, tempDir } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture, writeShardedRows } from '../support/r-fixtures.js';
import { sharedPool } from '../support/shared-pool.js';

const KEYS = [
  'min',
  'max',
  'skewness',
  'kurtosis',
  'jarqueBera',
  'jarqueBeraP',
  'omnibus',
  'omnibusP',
  'durbinWatson',
  'breuschPagan',
  'breuschPaganP',
] as const;

type RReference = {
  readonly name: string;
  readonly features: string[];
  readonly intercept: boolean;
  readonly weights: string | null;
  readonly n: number;
  readonly breuschPaganDf: number;
} & Record<(typeof KEYS)[number] | 'q1' | 'median' | 'q3', number>;

const reference = async (name: string): Promise<RReference> =>
  readFixture<RReference>(`diagnostics-${name}.json`);

const shared = sharedPool();
let root = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('diagnostics');
  await writeShardedRows(root, 9);
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

async function fitFixture(ref: RReference, solver: 'qr' | 'normal'): Promise<LinregModel> {
  const result = await fitFiles(
    {
      inputs: [fixturePath(`diagnostics-${ref.name}.csv`)],
      target: 'y',
      features: ref.features,
      intercept: ref.intercept,
      weights: ref.weights ?? undefined,
      aliased: 'drop',
      solver,
      diagnostics: true,
    },
    { pool: shared() },
  );
  return result.model;
}

describe('residual diagnostics against R (lmtest 0.9-40, tseries 0.10-53)', () => {
  for (const name of ['hetero', 'weighted', 'origin', 'autocorrelated']) {
    it.each(['qr', 'normal'] as const)(
      `${name} (%s): skewness, kurtosis, JB, omnibus, DW, BP and p-values to ≥ 10 digits`,
      async (solver) => {
        const ref = await reference(name);
        const model = await fitFixture(ref, solver);
        const d = model.diagnostics as ModelDiagnostics;
        expect(d.n).toBe(ref.n);
        expect(d.breuschPaganDf).toBe(ref.breuschPaganDf);
        for (const key of KEYS) {
          expect(digits(d[key], ref[key]), key).toBeGreaterThan(10);
        }
        // Quartiles from the sketch: within α = 0.1% of R's quantile() (plus the floor 1e-8·σ̃).
        const floor = 1e-8 * Math.sqrt(model.statistics.rss / ref.n);
        for (const key of ['q1', 'median', 'q3'] as const) {
          expect(Math.abs(d[key] - ref[key]), key).toBeLessThanOrEqual(
            1e-3 * Math.abs(ref[key]) + floor,
          );
        }
      },
    );
  }

  it('the model file keeps the diagnostics; a model without them has none', async () => {
    const ref = await reference('hetero');
    const model = await fitFixture(ref, 'qr');
    const back = parseModel(modelToJson(model));
    expect(back.diagnostics).toEqual(model.diagnostics);
    const plain = await fitFiles(
      { inputs: [fixturePath('diagnostics-hetero.csv')], target: 'y' },
      { pool: shared() },
    );
    expect(plain.model.diagnostics).toBeUndefined();
    expect(plain.stats.passes).toBe(1);
  });
});

describe('the diagnostics state', () => {
  it('merged over any split of the rows in order equals one pass to rounding', () => {
    let seed = 7;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648 - 0.5;
    };
    const rows = 3000;
    const x = [
      Float64Array.from({ length: rows }, next),
      Float64Array.from({ length: rows }, next),
    ];
    const y = Float64Array.from(
      { length: rows },
      (_, i) => 5 + (x[0]?.[i] as number) + next() ** 3 * 4 + Math.sin(i / 40),
    );
    const w = Float64Array.from({ length: rows }, (_, i) => (i % 7 === 0 ? 0 : 1 + (i % 3)));
    const spec = {
      p: 2,
      intercept: true,
      beta: Float64Array.of(5, 1, 0),
      kept: [0, 1, 2],
      shift: 0.3,
    };
    const slice = (a: number, b: number) => ({
      rows: b - a,
      x: x.map((c) => c.subarray(a, b)),
      y: y.subarray(a, b),
      w: w.subarray(a, b),
    });
    const whole = new DiagnosticsAccumulator(spec);
    whole.update(slice(0, rows));
    const cuts = [0, 1, 513, 514, 1600, 2999, rows];
    const parts = cuts.slice(1).map((b, i) => {
      const acc = new DiagnosticsAccumulator(spec);
      acc.update(slice(cuts[i] as number, b));
      return acc.state;
    });
    let merged = parts[0];
    for (const s of parts.slice(1)) merged = mergeDiagnosticsStates(merged as typeof s, s);
    const a = diagnosticsSums(whole.state);
    const b = diagnosticsSums(merged as typeof whole.state);
    expect(b.n).toBe(a.n);
    expect([b.min, b.max]).toEqual([a.min, a.max]);
    for (const key of [
      'mean',
      'm2',
      'm3',
      'm4',
      'sumSquaredDifferences',
      's',
      't1',
      't2',
    ] as const) {
      expect(digits(b[key], a[key]), key).toBeGreaterThan(12);
    }
    // Durbin–Watson's numerator by hand, over the rows of positive weight in order.
    let ssd = 0;
    let last = Number.NaN;
    for (let i = 0; i < rows; i++) {
      const wi = w[i] as number;
      if (wi === 0) continue;
      const e = Math.sqrt(wi) * ((y[i] as number) - 5 - (x[0]?.[i] as number));
      if (!Number.isNaN(last)) ssd += (e - last) ** 2;
      last = e;
    }
    expect(digits(a.sumSquaredDifferences, ssd)).toBeGreaterThan(12);
  });
});

describe('residual diagnostics through the engine', () => {
  it('gives the same bits for 1 and 2 workers, and agrees to rounding for 1 or 7 files', async () => {
    const run = (dir: string, workers: number) =>
      fitFiles({
        inputs: [join(root, dir)],
        target: 'y',
        diagnostics: true,
        refine: 'off',
        workers,
      });
    const one = await run('seven', 1);
    const two = await run('seven', 2);
    const single = await run('one', 2);
    expect(one.stats.units).toBeGreaterThan(7);
    expect(one.stats.passes).toBe(2);
    const a = one.model.diagnostics as ModelDiagnostics;
    const b = two.model.diagnostics as ModelDiagnostics;
    const c = single.model.diagnostics as ModelDiagnostics;
    for (const key of Object.keys(a) as (keyof ModelDiagnostics)[]) {
      const x = a[key];
      const z = c[key];
      // The top rows' lists: tests/core/engine/topk.test.ts.
      if (typeof x !== 'number' || typeof z !== 'number') continue;
      expect(Object.is(x, b[key]), key).toBe(true);
      expect(digits(z, x), key).toBeGreaterThan(11);
    }
    expect(b.topCook).toEqual(a.topCook);
  });

  it('refuses solver sgd, naming the option', async () => {
    await expect(
      fitFiles({ inputs: [join(root, 'one')], target: 'y', diagnostics: true, solver: 'sgd' }),
    ).rejects.toThrow(/^diagnostics: /);
  });
});

describe('linreg fit --diagnostics', () => {
  it("prints statsmodels' block and the Breusch-Pagan line, exit 0", async () => {
    const run = await runCli([
      'fit',
      fixturePath('diagnostics-hetero.csv'),
      '-y',
      'y',
      '--diagnostics',
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Residual diagnostics (residuals, n = 300, in file order):');
    expect(run.stdout).toMatch(/Omnibus: +180\.7 {3}Durbin-Watson: +2\.158/);
    expect(run.stdout).toMatch(/Skew: +2\.446 {3}Prob\(JB\): +<2e-16/);
    expect(run.stdout).toContain(
      'studentized Breusch-Pagan test: BP = 21.358, df = 3, p-value = 8.87e-05',
    );
    const json = await runCli([
      'fit',
      fixturePath('diagnostics-hetero.csv'),
      '-y',
      'y',
      '--diagnostics',
      '--json',
    ]);
    expect(json.code).toBe(0);
    expect(parseModel(json.stdout).diagnostics?.n).toBe(300);
  });

  it('refuses --diagnostics on stdin: exit 2, one line', async () => {
    const names = ['x1', 'x2', 'x3', 'y'];
    const columns = await readAll([fixturePath('diagnostics-hetero.csv')], names);
    const stream = join(root, 'hetero.arrows');
    const writer = await openWriter(stream, names);
    await writer.write({
      rows: columns[0]?.length as number,
      names,
      columns,
      nulls: names.map(() => null),
    });
    await writer.close();
    const run = await runCli(['fit', '-', '-y', 'y', '--diagnostics'], createReadStream(stream));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/--diagnostics: needs a second pass .*stdin/);
  });
});
