/**
 * Worker side of prediction: read one unit's feature (and kept) columns,
 * predict batch by batch, and return whole output columns for the main
 * thread's single writer, which writes units in order (so output row order
 * equals input row order). A row with a missing feature gets NaN.
 */
import { readUnit } from '@linreg/io';
import { parseModel } from '../model/model-json.js';
import { predict } from '../model/predict.js';
import { ColumnBuilder } from './column-builder.js';
import type { PredictResult, PredictTask } from './protocol.js';

/** Output column names after the kept columns. */
export function predictionNames(interval: PredictTask['interval']): string[] {
  return interval === 'none' ? ['prediction'] : ['prediction', 'se', 'lower', 'upper'];
}

export async function predictUnit(task: PredictTask): Promise<PredictResult> {
  const model = parseModel(task.modelJson, 'model');
  const read = [...new Set([...task.features, ...task.keep])];
  const featureAt = task.features.map((f) => read.indexOf(f));
  const keepAt = task.keep.map((k) => read.indexOf(k));
  const outNames = predictionNames(task.interval);
  const capacity = task.unit.rowEstimate;
  const kept = task.keep.map(() => new ColumnBuilder(capacity));
  const outputs = outNames.map(() => new ColumnBuilder(capacity));
  // Features with nulls are copied here with NaN in the null slots; others are views.
  let scratch: Float64Array[] = [];
  let rowsRead = 0;
  let rowsDropped = 0;
  const options = task.interval === 'none' ? {} : { interval: task.interval, level: task.level };
  for await (const batch of readUnit(task.unit, read, { batchRows: task.batchRows })) {
    const n = batch.rows;
    if ((scratch[0]?.length ?? 0) < n) scratch = featureAt.map(() => new Float64Array(n));
    const features = featureAt.map((j, f) => {
      const col = batch.columns[j] as Float64Array;
      const nulls = batch.nulls[j] ?? null;
      if (nulls === null) return col;
      const dst = scratch[f] as Float64Array;
      for (let i = 0; i < n; i++) dst[i] = nulls[i] === 1 ? Number.NaN : (col[i] as number);
      return dst;
    });
    const prediction = predict(model, { rows: n, columns: features }, options);
    const columns = [prediction.fit, prediction.se, prediction.lower, prediction.upper];
    for (let o = 0; o < outputs.length; o++) {
      outputs[o]?.append(columns[o] as Float64Array, n);
    }
    for (let k = 0; k < keepAt.length; k++) {
      const j = keepAt[k] as number;
      kept[k]?.append(batch.columns[j] as Float64Array, n, batch.nulls[j] ?? null);
    }
    const fit = prediction.fit;
    for (let i = 0; i < n; i++) if (Number.isNaN(fit[i] as number)) rowsDropped += 1;
    rowsRead += n;
  }
  return {
    kind: 'predictions',
    unit: task.unit.index,
    names: [...task.keep, ...outNames],
    columns: [...kept, ...outputs].map((b) => b.finish()),
    rowsRead,
    rowsUsed: rowsRead - rowsDropped,
    rowsDropped,
    bytes: Math.max(0, task.unit.byteEnd - task.unit.byteStart),
  };
}
