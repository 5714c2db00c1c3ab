/**
 * Prediction of one unit: read its feature (and kept) columns, predict batch
 * by batch, and return whole output columns for the main thread's single
 * writer, which writes units in order (so output row order equals input row
 * order). A row with a missing feature gets NaN and counts as dropped.
 */
import { parseModel } from '../../model/model-json.js';
import { predict } from '../../model/predict.js';
import { ColumnBuilder } from './column-builder.js';
import type { TaskInput, TaskKind, TaskResult } from './task-kind.js';

export type PredictInterval = 'none' | 'confidence' | 'prediction';

export interface PredictArgs {
  /** The model as its JSON text (parsed once per task); its features are read. */
  readonly modelJson: string;
  /** Input columns copied to the output, before the predictions. */
  readonly keep: readonly string[];
  readonly interval: PredictInterval;
  readonly level: number;
}

/** Output columns of one unit, kept columns first; each Float64Array has its own buffer. */
export interface PredictOutput {
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
}

/** Output column names after the kept columns. */
export function predictionNames(interval: PredictInterval): string[] {
  return interval === 'none' ? ['prediction'] : ['prediction', 'se', 'lower', 'upper'];
}

export const task: TaskKind<PredictArgs, PredictOutput> = {
  run: predictUnit,
  transfer: (o) => o.columns.map((c) => c.buffer as ArrayBuffer),
};

async function predictUnit(
  input: TaskInput,
  task: PredictArgs,
): Promise<TaskResult<PredictOutput>> {
  const model = parseModel(task.modelJson, 'model');
  const read = [...new Set([...model.features, ...task.keep])];
  const featureAt = model.features.map((f) => read.indexOf(f));
  const keepAt = task.keep.map((k) => read.indexOf(k));
  const outNames = predictionNames(task.interval);
  const capacity = input.unit.rowEstimate;
  const kept = task.keep.map(() => new ColumnBuilder(capacity));
  const outputs = outNames.map(() => new ColumnBuilder(capacity));
  // Features with nulls are copied here with NaN in the null slots; others are views.
  let scratch: Float64Array[] = [];
  let rowsRead = 0;
  let rowsDropped = 0;
  const options = task.interval === 'none' ? {} : { interval: task.interval, level: task.level };
  for await (const batch of input.read(read)) {
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
    output: {
      names: [...task.keep, ...outNames],
      columns: [...kept, ...outputs].map((b) => b.finish()),
    },
    rows: { rowsRead, rowsUsed: rowsRead - rowsDropped, rowsDropped },
  };
}
