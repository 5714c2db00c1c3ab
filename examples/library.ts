/**
 * The README's library example, run by tests/e2e/readme-example.test.ts.
 * Usage: examples/library.ts <dir>  (writes a small data set there, fits it,
 * predicts, fits the motivating toy example through the numerics alone, and
 * by SGD from columns in memory).
 */
import { createPool, fit, memorySource, modelToJson, predictFiles, scoreFiles } from '@linreg/core';
import {
  computeInference,
  createAccumulator,
  deserializeAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  serializeAccumulator,
  solve,
  updateAccumulator,
} from '@linreg/core/numerics';
import { generateDataset } from '@linreg/io';

export async function runExample(dir: string): Promise<{
  readonly rSquared: number;
  readonly predictedRows: number;
  readonly toy: readonly number[];
  readonly toyRank: number;
  readonly toySgd: readonly number[];
  readonly toySgdStatus: string;
  readonly formulaNames: readonly string[];
  readonly holdoutRmse: number;
  readonly pooledSame: boolean;
}> {
  // 1. Files: generate 4 Parquet shards, fit on every core, predict.
  await generateDataset({ dir, rows: 20_000, cols: 5, shards: 4, format: 'parquet', seed: 7 });
  // biome-ignore lint/suspicious/noFocusedTests: linreg's fit(), not a focused test.
  const { model, stats } = await fit(
    { inputs: [dir], target: 'y', ridge: 0, workers: 2 },
    { onProgress: (p) => void p.rowsPerSecond },
  );
  const table = model.coefficients.map((c) => `${c.name} ${c.estimate} ± ${c.stdError}`);
  if (table.length !== 6 || stats.rowsUsed !== 20_000) throw new Error('unexpected fit');
  const json = modelToJson(model);
  const predicted = await predictFiles(model, [dir], `${dir}/pred.csv`, {
    interval: 'prediction',
  });

  // 2. Numbers only: one partial state per chunk of rows, moved as a buffer, merged, solved.
  const x1 = new Float64Array([1, 2, 3, 4, 5]);
  const x2 = new Float64Array([2, 3, 4, 5, 6]);
  const y = new Float64Array([3, 5, 7, 9, 11]);
  const spec = { kind: 'qr', p: 2, intercept: true, weighted: false } as const;
  const a = createAccumulator(spec);
  updateAccumulator(a, { rows: 3, x: [x1, x2], y });
  const b = createAccumulator(spec);
  updateAccumulator(b, { rows: 2, x: [x1.subarray(3), x2.subarray(3)], y: y.subarray(3) });
  const moved = deserializeAccumulator(serializeAccumulator(b));
  const factor = finalizeAccumulator(mergeAccumulators(a, moved));
  const solution = solve(factor, { aliased: 'min-norm' });
  const inference = computeInference(factor, solution, { level: 0.95 });
  void inference.sigma;
  void json;

  // 3. Rows in memory, through the same engine: averaged SGD on the toy set, two units.
  const source = memorySource([
    { x1: x1.subarray(0, 3), x2: x2.subarray(0, 3), y: y.subarray(0, 3) },
    { x1: x1.subarray(3), x2: x2.subarray(3), y: y.subarray(3) },
  ]);
  // biome-ignore lint/suspicious/noFocusedTests: linreg's fit(), not a focused test.
  const sgdFit = await fit({ target: 'y', solver: 'sgd', epochs: 2000, tol: 1e-10 }, { source });
  // 4. An R formula over a text column (a factor), and a held-out score.
  const shop = memorySource([
    {
      price: new Float64Array([10, 12, 15, 11, 30, 33, 35, 31]),
      size: new Float64Array([1, 2, 3, 1.5, 1, 2, 3, 1.5]),
      city: ['Oslo', 'Oslo', 'Oslo', 'Oslo', 'Rome', 'Rome', 'Rome', 'Rome'],
    },
  ]);
  // biome-ignore lint/suspicious/noFocusedTests: linreg's fit(), not a focused test.
  const shopFit = await fit({ formula: 'log(price) ~ size * city' }, { source: shop });
  // Held-out rows from the same true model (betaSeed), scored without writing predictions.
  await generateDataset({
    dir: `${dir}/holdout`,
    rows: 5_000,
    cols: 5,
    shards: 1,
    format: 'parquet',
    seed: 8,
    betaSeed: 7,
  });
  const holdout = await scoreFiles(model, [`${dir}/holdout`]);

  // 5. Many fits in one process (an ETL step per partition): one pool, started once.
  // biome-ignore lint/suspicious/noFocusedTests: linreg's fit(), not a focused test.
  const own = await fit({ inputs: [`${dir}/holdout`], target: 'y', workers: 2 });
  const pool = createPool({ workers: 2 });
  let pooledSame = true;
  try {
    for (let partition = 0; partition < 3; partition++) {
      // biome-ignore lint/suspicious/noFocusedTests: linreg's fit(), not a focused test.
      const pooled = await fit({ inputs: [`${dir}/holdout`], target: 'y' }, { pool });
      pooledSame &&= pooled.model.coefficients.every(
        (c, i) => c.estimate === own.model.coefficients[i]?.estimate,
      );
    }
  } finally {
    await pool.destroy();
  }

  return {
    pooledSame,
    formulaNames: shopFit.model.coefficients.map((c) => c.name),
    holdoutRmse: holdout.rmse,
    rSquared: model.statistics.rSquared,
    predictedRows: predicted.rows,
    toy: Array.from(solution.coefficients),
    toyRank: solution.rank,
    toySgd: sgdFit.model.coefficients.map((c) => c.estimate),
    toySgdStatus: sgdFit.sgd?.status ?? 'none',
  };
}
