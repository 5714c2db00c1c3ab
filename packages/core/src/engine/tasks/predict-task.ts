/**
 * Prediction of one unit: read its feature (and kept) columns, predict batch
 * by batch, and return whole output columns for the main thread's single
 * writer, which writes units in order (so output row order equals input row
 * order). A row with a missing feature gets NaN and counts as dropped.
 */
import type { ColumnBatch } from '@linreg/io';
import { DesignBuilder } from '../../formula/design.js';
import { FrameBuilder } from '../../formula/frame.js';
import { predictionProgram } from '../../formula/predict-program.js';
import type { DesignProgram } from '../../formula/program.js';
import { parseModel } from '../../model/model-json.js';
import { type Prediction, predict } from '../../model/predict.js';
import { ColumnBuilder } from './column-builder.js';
import { rowPlace } from './design-batch.js';
import type { TaskInput, TaskKind, TaskResult } from './task-kind.js';

export type PredictInterval = 'none' | 'confidence' | 'prediction';

export interface PredictArgs {
  /** The model as its JSON text (parsed once per task); its features are read. */
  readonly modelJson: string;
  /** Input columns copied to the output, before the predictions. */
  readonly keep: readonly string[];
  readonly interval: PredictInterval;
  readonly level: number;
  /** A formula model: a level the model never saw fails, or gives a null prediction. */
  readonly unseenLevels?: 'error' | 'na' | undefined;
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

/** A formula model's design for prediction: the frame (transforms, levels) and the design columns. */
class TermsDesign {
  readonly #frame: FrameBuilder;
  readonly #design: DesignBuilder;
  readonly inputs: readonly string[];
  readonly categorical: readonly string[];

  constructor(program: DesignProgram, input: TaskInput, args: PredictArgs) {
    const unit = input.unit;
    const own = predictionProgram(program);
    this.#frame = new FrameBuilder(own, {
      mode: 'predict',
      missing: 'drop',
      unit: { file: unit.file, place: (row) => rowPlace(unit, row) },
      unseen: args.unseenLevels ?? 'error',
    });
    this.#design = new DesignBuilder(own);
    this.inputs = this.#frame.inputs.names;
    this.categorical = this.#frame.inputs.categorical;
  }

  /** The batch's design columns (NaN in rows that cannot be predicted) and how to finish its predictions. */
  build(
    batch: ColumnBatch,
    rowOffset: number,
  ): { x: Float64Array[]; finish: (p: Prediction) => void } {
    const frame = this.#frame.build(batch, rowOffset);
    const x = this.#design.build(frame);
    const n = frame.rows;
    const mask = frame.mask;
    if (frame.dropped > 0) {
      for (const column of x) for (let i = 0; i < n; i++) if (mask[i] === 1) column[i] = Number.NaN;
    }
    const offset = frame.offset;
    return {
      x,
      finish: (p) => {
        for (const out of [p.fit, p.lower, p.upper]) {
          if (out === undefined) continue;
          for (let i = 0; i < n; i++) {
            if (mask[i] === 1) out[i] = Number.NaN;
            else if (offset !== undefined) out[i] = (out[i] as number) + (offset[i] as number);
          }
        }
        if (p.se !== undefined) for (let i = 0; i < n; i++) if (mask[i] === 1) p.se[i] = Number.NaN;
      },
    };
  }
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
  const terms = model.terms === undefined ? undefined : new TermsDesign(model.terms, input, task);
  const inputs = terms === undefined ? model.features : terms.inputs;
  const read = [...new Set([...inputs, ...task.keep])];
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
  for await (const batch of input.read(read, terms?.categorical)) {
    const n = batch.rows;
    if ((scratch[0]?.length ?? 0) < n) scratch = featureAt.map(() => new Float64Array(n));
    const built = terms?.build(batch, rowsRead);
    const features =
      built?.x ??
      featureAt.map((j, f) => {
        const col = batch.columns[j] as Float64Array;
        const nulls = batch.nulls[j] ?? null;
        if (nulls === null) return col;
        const dst = scratch[f] as Float64Array;
        for (let i = 0; i < n; i++) dst[i] = nulls[i] === 1 ? Number.NaN : (col[i] as number);
        return dst;
      });
    const prediction = predict(model, { rows: n, columns: features }, options);
    const columns = [prediction.fit, prediction.se, prediction.lower, prediction.upper];
    if (built !== undefined) built.finish(prediction);
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
