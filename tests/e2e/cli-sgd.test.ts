/**
 * `--solver sgd` from the command line: the optimizer's report is structured
 * in the JSON (status, epochs, history, distance to the exact answer), an
 * unconverged fit says so and leaves SE/t/p as NA, and `--check off` skips
 * the exact state (no rank check, no standard errors) while still fitting.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModel } from '@linreg/core';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';
let data = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-sgd');
  data = join(root, 'data');
  await generateDataset({
    dir: data,
    rows: 20_000,
    cols: 3,
    shards: 2,
    format: 'parquet',
    seed: 5,
    rowGroupRows: 5000,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

const sgd = (...extra: string[]) =>
  runCli(['fit', data, '-y', 'y', '--solver', 'sgd', '--seed', '1', '-j', '2', ...extra]);

describe('linreg fit --solver sgd', () => {
  it('converged: standard errors present, the report in the JSON and in the summary', async () => {
    const run = await sgd('--epochs', '60', '--tol', '1e-6', '--json');
    expect(run.code).toBe(0);
    const model = parseModel(run.stdout);
    const report = model.sgd;
    expect(report?.status).toBe('converged');
    expect(report?.checked).toBe(true);
    expect(report?.relativeError).toBeLessThan(1e-4);
    expect(report?.history.length).toBe(report?.epochs);
    expect(report?.history[0]?.epoch).toBe(1);
    expect(model.coefficients.every((c) => c.stdError > 0 && c.p >= 0)).toBe(true);
    const text = await sgd('--epochs', '60', '--tol', '1e-6');
    expect(text.stdout).toMatch(/SGD \(sgd\): \d+ epoch\(s\), converged/);
    expect(text.stdout).toMatch(/relative distance to the exact coefficients/);
  });

  it('not converged to --tol: says so, and SE, t and p are NA', async () => {
    const run = await sgd('--epochs', '2', '--tol', '1e-12', '--json');
    expect(run.code).toBe(0);
    const model = parseModel(run.stdout);
    expect(model.sgd?.status).toBe('max-epochs');
    expect(model.sgd?.epochs).toBe(2);
    for (const c of model.coefficients) {
      expect(Number.isFinite(c.estimate)).toBe(true);
      expect(Number.isNaN(c.stdError) && Number.isNaN(c.t) && Number.isNaN(c.p)).toBe(true);
    }
    expect(model.warnings.join('\n')).toMatch(/not converged to tol 1e-12/);
    const text = await sgd('--epochs', '2', '--tol', '1e-12');
    expect(text.stdout).toMatch(/NOT converged to tol 1e-12/);
    expect(text.stdout).toMatch(/^x0 +-?[\d.]+ +NA +NA +NA/m);
  });

  it('--check off: no exact state, no standard errors, the same optimizer path', async () => {
    const on = parseModel((await sgd('--epochs', '4', '--tol', '0', '--json')).stdout);
    const off = await sgd('--epochs', '4', '--tol', '0', '--check', 'off', '--json');
    expect(off.code).toBe(0);
    const model = parseModel(off.stdout);
    expect(model.sgd?.checked).toBe(false);
    expect(Number.isNaN(model.sgd?.relativeError ?? 0)).toBe(true);
    expect(model.coefficients.every((c) => Number.isNaN(c.stdError))).toBe(true);
    expect(model.rank).toBe(4);
    expect(model.statistics.rSquared).toBeGreaterThan(0.5);
    // The exact state does not steer the optimizer (only the default step size uses ‖H‖):
    // with a given learning rate the coefficients are the same bits.
    const lr = ['--epochs', '4', '--tol', '0', '--learning-rate', '0.1', '--json'];
    const a = parseModel((await sgd(...lr)).stdout).coefficients.map((c) => c.estimate);
    const b = parseModel((await sgd(...lr, '--check', 'off')).stdout).coefficients.map(
      (c) => c.estimate,
    );
    expect(b).toEqual(a);
    expect(on.sgd?.checked).toBe(true);
  });

  it('refuses an sgd-only flag with an exact solver, naming the flag', async () => {
    const run = await runCli(['fit', data, '-y', 'y', '--check', 'off']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^linreg: --check: .*sgd/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
