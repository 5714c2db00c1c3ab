/**
 * The README's library example, run by tests/e2e/readme-example.test.ts.
 * Usage: examples/library.ts <dir>  (writes a small data set there, fits it,
 * predicts, and fits the motivating toy example through the numerics alone).
 */
import { fit, modelToJson, predictFiles } from '@linreg/core';
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
  return {
    rSquared: model.statistics.rSquared,
    predictedRows: predicted.rows,
    toy: Array.from(solution.coefficients),
    toyRank: solution.rank,
  };
}
