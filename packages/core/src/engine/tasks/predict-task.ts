/**
 * Prediction of one unit: read its feature columns (and the kept columns as
 * pass-through values, io's raw.ts), predict batch by batch, and return whole
 * output columns for the main thread's single writer, which writes units in
 * order (so output row order equals input row order). A row with a missing
 * feature gets NaN (written as null) and counts as dropped.
 */
import { type ColumnBatch, concatRaw, type RawColumn } from '@linreg/io';
import { DesignBuilder } from '../../formula/design.js';
import { FrameBuilder } from '../../formula/frame.js';
import { compileVector, inputsOf } from '../../formula/num-expr.js';
import { predictionProgram } from '../../formula/predict-program.js';
import type { DesignProgram } from '../../formula/program.js';
import type { LinregModel } from '../../model/model.js';
import { parseModel } from '../../model/model-json.js';
import { type Prediction, predict } from '../../model/predict.js';
import { ColumnBuilder } from './column-builder.js';
import { rowPlace } from './design-batch.js';
import { GroupRouter, type PredictGroups, predictRouted } from './group-router.js';
import type { TaskInput, TaskKind, TaskResult } from './task-kind.js';

export type PredictInterval = 'none' | 'confidence' | 'prediction';

export interface PredictArgs {
  /** The model as its JSON text, or its bytes (modelJsonForTask; parsed once per task); its features are read. */
  readonly modelJson: string | Uint8Array;
  /** Input columns copied to the output, before the predictions. */
  readonly keep: readonly string[];
  readonly interval: PredictInterval;
  readonly level: number;
  /** A formula model: a level the model never saw fails, or gives a null prediction. */
  readonly unseenLevels?: 'error' | 'na' | undefined;
  /** Also a `residual` column, y − ŷ (the response expression of a formula model). */
  readonly residuals?: boolean | undefined;
  /**
   * A per-group model file: each row is predicted by its group's model
   * (group-router.ts); `modelJson` is then the first group's model.
   */
  readonly groups?: PredictGroups | undefined;
  /**
   * A multi-target model file: every target's model (same design), each
   * predicted from the one design; `modelJson` is then the first target's.
   * The output columns are each target's, target by target
   * (`targetColumnNames`).
   */
  readonly targets?: readonly (string | Uint8Array)[] | undefined;
}

/**
 * Output columns of one unit: the kept columns as pass-through values, then
 * the prediction columns (NaN where missing); each has its own buffer.
 */
export interface PredictOutput {
  readonly names: readonly string[];
  readonly kept: readonly RawColumn[];
  readonly columns: readonly Float64Array[];
}

/** `95` for 0.95, `99.9` for 0.999: the level as a percentage in a column name. */
export function levelTag(level: number): string {
  return String(Number((level * 100).toPrecision(12))).replace('.', '_');
}

/**
 * Output column names after the kept columns (docs/predict-output.md):
 * `prediction`; with an interval `se_fit`, `lower_<L>`, `upper_<L>` (L the
 * level in percent, `.` as `_`), and `se_pred` for a prediction interval;
 * `residual` last with residuals.
 */
export function predictionNames(
  interval: PredictInterval,
  level = 0.95,
  residuals = false,
): string[] {
  const tag = levelTag(level);
  const names =
    interval === 'none' ? ['prediction'] : ['prediction', 'se_fit', `lower_${tag}`, `upper_${tag}`];
  if (interval === 'prediction') names.push('se_pred');
  if (residuals) names.push('residual');
  return names;
}

/**
 * Output column names of several targets: each target's columns
 * (predictionNames) with `_<target>` appended, target by target:
 * `prediction_y1`, `se_fit_y1`, …, `prediction_y2`, ….
 */
export function targetColumnNames(
  targets: readonly string[],
  interval: PredictInterval,
  level = 0.95,
  residuals = false,
): string[] {
  const own = predictionNames(interval, level, residuals);
  return targets.flatMap((t) => own.map((name) => `${name}_${t}`));
}

/** The response of a model per batch: the target column, or a formula's response expression. */
class Response {
  readonly inputs: readonly string[];
  readonly #fn: ((columns: readonly Float64Array[], n: number) => Float64Array) | undefined;
  readonly #slots: readonly number[];
  readonly #width: number;

  constructor(target: string, program: DesignProgram | undefined) {
    if (program === undefined || program.response === undefined) {
      this.inputs = [target];
      this.#slots = [0];
      this.#width = 1;
      this.#fn = undefined;
      return;
    }
    const used = inputsOf(program.response.expr, new Set<number>());
    this.#slots = [...used];
    this.inputs = this.#slots.map((i) => (program.inputs[i] as { name: string }).name);
    this.#width = program.inputs.length;
    this.#fn = compileVector(program.response.expr) as unknown as (
      columns: readonly Float64Array[],
      n: number,
    ) => Float64Array;
  }

  /** y per row (NaN when missing), from the batch's columns at `at` (one per input). */
  values(batch: ColumnBatch, at: readonly number[]): Float64Array {
    const n = batch.rows;
    const cols = at.map((j) => {
      const col = batch.columns[j] as Float64Array;
      const nulls = batch.nulls[j] ?? null;
      if (nulls === null) return col;
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = nulls[i] === 1 ? Number.NaN : (col[i] as number);
      return out;
    });
    if (this.#fn === undefined) return (cols[0] as Float64Array).slice(0, n);
    const wide: Float64Array[] = new Array(this.#width).fill(new Float64Array(n));
    this.#slots.forEach((slot, k) => {
      wide[slot] = cols[k] as Float64Array;
    });
    return this.#fn(wide, n).slice(0, n);
  }
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
  // Kept columns are copied (their buffers may be views of a shared one).
};

/**
 * The last large model this worker parsed, with its bytes: every unit of a
 * predict gets the same model, and parsing a p = 4,000 model's ~550 MB takes
 * seconds, so it is parsed once per worker, not once per unit. Only models
 * sent as bytes (modelJsonForTask: text over 64 MiB) are kept; one at a time.
 */
let lastLarge: { readonly bytes: Uint8Array; readonly model: LinregModel } | undefined;

function parseTaskModel(json: string | Uint8Array, source: string): LinregModel {
  if (typeof json === 'string') return parseModel(json, source);
  if (lastLarge !== undefined && sameBytes(lastLarge.bytes, json)) return lastLarge.model;
  lastLarge = undefined;
  const model = parseModel(json, source);
  lastLarge = { bytes: json, model };
  return model;
}

/** Byte equality by the native compare (~550 MB: tens of ms, where a JS loop took ~0.5 s). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

async function predictUnit(
  input: TaskInput,
  task: PredictArgs,
): Promise<TaskResult<PredictOutput>> {
  const groups = task.groups;
  const models = groups?.modelsJson.map((text, g) => parseTaskModel(text, `model of group ${g}`));
  const model = models?.[0] ?? parseTaskModel(task.modelJson, 'model');
  // Several targets share the design: built once per batch, predicted by each target's model.
  const heads = task.targets?.map((text, t) => parseTaskModel(text, `model of target ${t}`)) ?? [
    model,
  ];
  const terms = model.terms === undefined ? undefined : new TermsDesign(model.terms, input, task);
  const inputs = terms === undefined ? model.features : terms.inputs;
  const responses =
    task.residuals === true ? heads.map((h) => new Response(h.target, h.terms)) : undefined;
  const plain = [
    ...new Set([...inputs, ...(responses?.flatMap((r) => r.inputs) ?? []), ...(groups?.by ?? [])]),
  ];
  const router = groups === undefined ? undefined : new GroupRouter(groups);
  const groupAt = groups?.by.map((name) => plain.indexOf(name)) ?? [];
  const textBy = groups?.by.filter((_, c) => groups.categorical[c] === true) ?? [];
  const categorical =
    terms === undefined && textBy.length === 0
      ? undefined
      : [...new Set([...(terms?.categorical ?? []), ...textBy])];
  // Kept columns come after, read raw (a name may appear twice: once as a number, once raw).
  const read = [...plain, ...task.keep];
  const rawAt = read.map((_, j) => j >= plain.length);
  // `plain` holds each name once: a name's place by one lookup, not a scan per feature (p²).
  const plainAt = new Map(plain.map((name, j) => [name, j]));
  const at = (name: string): number => plainAt.get(name) ?? -1;
  const featureAt = model.features.map(at);
  const responseAt = responses?.map((r) => r.inputs.map(at)) ?? [];
  const outNames =
    task.targets === undefined
      ? predictionNames(task.interval, task.level, task.residuals === true)
      : targetColumnNames(
          heads.map((h) => h.target),
          task.interval,
          task.level,
          task.residuals === true,
        );
  const capacity = input.unit.rowEstimate;
  const kept: RawColumn[][] = task.keep.map(() => []);
  const outputs = outNames.map(() => new ColumnBuilder(capacity));
  // Features with nulls are copied here with NaN in the null slots; others are views.
  let scratch: Float64Array[] = [];
  let rowsRead = 0;
  let rowsDropped = 0;
  const options = task.interval === 'none' ? {} : { interval: task.interval, level: task.level };
  for await (const batch of input.read(read, categorical, rawAt)) {
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
    const columns: Float64Array[] = [];
    let fit: Float64Array | undefined;
    heads.forEach((head, h) => {
      const routed =
        router === undefined || models === undefined
          ? undefined
          : predictRouted(models, features, n, router.route(batch, groupAt), options);
      const prediction =
        routed?.prediction ?? predict(head, { rows: n, columns: features }, options);
      if (built !== undefined) built.finish(prediction);
      fit ??= prediction.fit;
      columns.push(prediction.fit);
      if (task.interval !== 'none') {
        columns.push(
          prediction.se as Float64Array,
          prediction.lower as Float64Array,
          prediction.upper as Float64Array,
        );
      }
      if (task.interval === 'prediction') {
        const se = prediction.se as Float64Array;
        const sePred = new Float64Array(n);
        const sigma = head.statistics.sigma;
        for (let i = 0; i < n; i++) {
          const s = se[i] as number;
          const sd = routed === undefined ? sigma : (routed.sigma[i] as number);
          sePred[i] = Math.sqrt(s * s + sd * sd);
        }
        columns.push(sePred);
      }
      const response = responses?.[h];
      if (response !== undefined) {
        const y = response.values(batch, responseAt[h] ?? []);
        const own = prediction.fit;
        for (let i = 0; i < n; i++) y[i] = (y[i] as number) - (own[i] as number);
        columns.push(y);
      }
    });
    for (let o = 0; o < outputs.length; o++) {
      outputs[o]?.append(columns[o] as Float64Array, n);
    }
    for (let k = 0; k < task.keep.length; k++) {
      const raw = batch.raw?.[plain.length + k];
      if (raw !== null && raw !== undefined) kept[k]?.push(raw);
    }
    // A row is missing for every target alike (the design is shared): counted from the first.
    const first = fit as Float64Array;
    for (let i = 0; i < n; i++) if (Number.isNaN(first[i] as number)) rowsDropped += 1;
    rowsRead += n;
  }
  const keptColumns = kept.map((parts) =>
    parts.length === 0
      ? { type: { kind: 'null' as const }, length: 0, nulls: null }
      : parts.length === 1
        ? (parts[0] as RawColumn)
        : concatRaw((parts[0] as RawColumn).type, parts),
  );
  return {
    output: {
      names: [...task.keep, ...outNames],
      kept: keptColumns,
      columns: outputs.map((b) => b.finish()),
    },
    rows: { rowsRead, rowsUsed: rowsRead - rowsDropped, rowsDropped },
  };
}
