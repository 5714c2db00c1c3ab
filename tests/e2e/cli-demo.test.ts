import { beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, runCli } from './cli-harness.js';

beforeAll(() => requireBuild());

describe('linreg demo', () => {
  it('fits a generated data set, then explains the collinear toy example', async () => {
    const run = await runCli([
      'demo',
      '--rows',
      '4000',
      '--cols',
      '3',
      '--workers',
      '2',
      '--quiet',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('1. Generating 4000 rows x 3 features in 4 Parquet shards');
    expect(run.stdout).toContain('Rows: 4000 read, 4000 used, 0 dropped for missing values');
    expect(run.stdout).toContain('rank 2 of 3 design columns');
    expect(run.stdout).toContain('aliased: x2 = x1 + 1·(Intercept)');
    expect(run.stdout).toContain('minimum-norm solution: (Intercept) = 0, x1 = 1, x2 = 1');
  });
});
