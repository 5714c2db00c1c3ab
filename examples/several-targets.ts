/**
 * The README's several-targets example (R's `mlm`), run by
 * tests/e2e/readme-example.test.ts: two responses on one design from one
 * pass, the model document, and predictions with one column per target.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  fitTargets,
  memorySource,
  modelTargetsOf,
  modelTargetsToJson,
  parseModelTargets,
  predictFiles,
} from '@linreg/core';

export async function runSeveralTargets(dir: string): Promise<{
  readonly targets: readonly string[];
  readonly coefficients: readonly (readonly number[])[];
  readonly rowsUsed: number;
  readonly predictionColumns: readonly string[];
}> {
  const shop = memorySource([
    {
      price: new Float64Array([10, 12, 15, 11, 30, 33, 35, 31]),
      units: new Float64Array([5, 4, 2, 5, 9, 8, 6, Number.NaN]),
      size: new Float64Array([1, 2, 3, 1.5, 1, 2, 3, 1.5]),
      city: ['Oslo', 'Oslo', 'Oslo', 'Oslo', 'Rome', 'Rome', 'Rome', 'Rome'],
    },
  ]);
  // One pass for both responses; the row missing `units` is left out for both (R's na.omit).
  const { targets, stats } = await fitTargets(
    { formula: 'cbind(log(price), units) ~ size + city' },
    { source: shop },
  );
  // targets[j].model is the fit of that response alone: coefficients, SE, R², aliasing…
  const file = join(dir, 'shop-mlm.json');
  await writeFile(file, modelTargetsToJson(modelTargetsOf(targets.map((t) => t.model))));

  // Predictions: the design is built once, each target's columns written (prediction_log(price), …).
  const rows = join(dir, 'new.csv');
  await writeFile(rows, 'size,city\n2.5,Oslo\n2.5,Rome\n');
  const doc = parseModelTargets(await readFile(file, 'utf8'), file);
  const predicted = await predictFiles(doc, [rows], join(dir, 'mlm-pred.csv'), { workers: 1 });
  return {
    targets: targets.map((t) => t.target),
    coefficients: targets.map((t) => t.model.coefficients.map((c) => c.estimate)),
    rowsUsed: stats.rowsUsed,
    predictionColumns: predicted.columns,
  };
}
