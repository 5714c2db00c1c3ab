/**
 * A model fitted with `--timestamps` records it (`"timestamps": true`), so
 * `linreg predict` reads the TIMESTAMP feature as seconds without the flag;
 * a model without the field still needs it.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModel } from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDb } from '../io/support/duckdb.js';
import {
  inMemoryCoefficients,
  maxRelativeDifference,
  readAll,
  requireBuild,
  runCli,
  tempDir,
} from './cli-harness.js';

const ROWS = 600;
let root = '';
let data = '';
let model = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-timestamps');
  data = join(root, 'train.parquet');
  const db = await DuckDb.open();
  try {
    // t spans ~25 days from 2024-01-01; y depends on it through seconds since the epoch.
    await db.writeParquet(
      data,
      `SELECT TIMESTAMP '2024-01-01 00:00:00' + to_seconds(i * 3607) AS t,
              CAST(i % 7 AS DOUBLE) AS x,
              2e-6 * (epoch(TIMESTAMP '2024-01-01 00:00:00') + i * 3607) + 0.5 * (i % 7) + sin(i) AS y
       FROM range(${ROWS}) r(i)`,
      { rowGroupSize: 250 },
    );
  } finally {
    db.close();
  }
  model = join(root, 'model.json');
  const fitted = await runCli(['fit', data, '-y', 'y', '--timestamps', '-o', model, '-q']);
  expect(fitted.stderr).toBe('');
  expect(fitted.code).toBe(0);
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('a model fitted with --timestamps', () => {
  it('records it and predicts without the flag, equal to X·β', async () => {
    const m = parseModel(await readFile(model, 'utf8'), model);
    expect(m.timestamps).toBe(true);
    expect(m.features).toEqual(['t', 'x']);
    const beta = m.coefficients.map((c) => c.estimate);
    expect(
      maxRelativeDifference(beta, await inMemoryCoefficients([data], ['t', 'x'])),
    ).toBeLessThan(1e-6);

    const out = join(root, 'pred.parquet');
    const run = await runCli(['predict', model, data, '-o', out, '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const [t, x] = await readAll([data], ['t', 'x']);
    const [prediction] = await readAll([out], ['prediction']);
    expect(prediction?.length).toBe(ROWS);
    expect(t?.[1]).toBe(Date.UTC(2024, 0, 1) / 1000 + 3607);
    const expected = Array.from(
      { length: ROWS },
      (_, i) =>
        (beta[0] as number) +
        (beta[1] as number) * (t?.[i] as number) +
        (beta[2] as number) * (x?.[i] as number),
    );
    expect(maxRelativeDifference(prediction as Float64Array, expected)).toBeLessThan(1e-12);
  });

  it('a model without the field still needs --timestamps on predict', async () => {
    const { timestamps: _timestamps, ...rest } = JSON.parse(await readFile(model, 'utf8'));
    const old = join(root, 'old-model.json');
    await writeFile(old, JSON.stringify(rest));
    const out = join(root, 'old-pred.parquet');
    const refused = await runCli(['predict', old, data, '-o', out, '-q']);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('--timestamps');
    const accepted = await runCli(['predict', old, data, '-o', out, '-q', '--timestamps']);
    expect(accepted.code).toBe(0);
  });

  it('parseModel reads the field as optional and checks its type', async () => {
    const json = JSON.parse(await readFile(model, 'utf8'));
    expect(parseModel(JSON.stringify({ ...json, timestamps: false })).timestamps).toBeUndefined();
    expect(() => parseModel(JSON.stringify({ ...json, timestamps: 'yes' }), 'm.json')).toThrow(
      "m.json: timestamps: expected true or false, got 'yes'",
    );
  });
});
