/**
 * Parallel, streaming prediction: each worker predicts one unit and returns
 * its output columns; the main thread is the single writer and writes units
 * in unit order, so the output's row order is the input's. At most a small
 * constant number of units per worker are in memory at once. The output file
 * appears only when complete (io's writers write to a temporary file and
 * rename); on any failure or cancellation nothing is left behind.
 */

import type { Readable } from 'node:stream';
import { SpecError } from '@linreg/errors';
import {
  columnsByName,
  IoError,
  type OutputWriter,
  openWriter,
  type Plan,
  temporalHint,
} from '@linreg/io';
import { inputsOf } from '../../formula/num-expr.js';
import { predictionProgram } from '../../formula/predict-program.js';
import { MODEL_GROUPS_FORMAT, type ModelGroups } from '../../model/groups-json.js';
import type { LinregModel } from '../../model/model.js';
import { modelJsonForTask } from '../../model/model-json.js';
import { MODEL_TARGETS_FORMAT, type ModelTargets } from '../../model/targets-json.js';
import { type PredictSpec, resolvePredictSpec } from '../../options/index.js';
import { clusterRead } from '../exact/fit-exact.js';
import { checkInputs } from '../model-design.js';
import type { WorkerPool } from '../pool.js';
import { type PassContext, runPass } from '../run/pass.js';
import type { Progress } from '../run/progress.js';
import { openFileSource } from '../source/file-source.js';
import { openStreamSource } from '../source/stream-source.js';
import type { PredictGroups } from '../tasks/group-router.js';
import {
  levelTag,
  type PredictInterval,
  predictionNames,
  targetColumnNames,
} from '../tasks/predict-task.js';

/** NaN (a missing prediction) as a null: the mask, or null when there is none. */
function nanMask(values: Float64Array, n: number): Uint8Array | null {
  let mask: Uint8Array | null = null;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(values[i] as number)) {
      mask ??= new Uint8Array(n);
      mask[i] = 1;
    }
  }
  return mask;
}

/**
 * The output file's key-value metadata (Parquet footer, Arrow schema): what
 * the columns are (docs/predict-output.md).
 */
export function outputMetadata(
  model: LinregModel,
  interval: PredictInterval,
  level: number,
  residuals: boolean,
): Record<string, string> {
  const meta: Record<string, string> = {
    'linreg.prediction': 'prediction',
    'linreg.interval': interval,
  };
  if (interval !== 'none') {
    const tag = levelTag(level);
    meta['linreg.level'] = String(level);
    meta['linreg.se_fit'] = 'se_fit';
    meta['linreg.lower'] = `lower_${tag}`;
    meta['linreg.upper'] = `upper_${tag}`;
  }
  if (interval === 'prediction') meta['linreg.se_pred'] = 'se_pred';
  if (residuals) meta['linreg.residual'] = 'residual';
  meta['linreg.target'] = model.terms?.response?.label ?? model.target;
  return meta;
}

function isModelGroups(m: LinregModel | ModelGroups | ModelTargets): m is ModelGroups {
  return (m as { format: string }).format === MODEL_GROUPS_FORMAT;
}

function isModelTargets(m: LinregModel | ModelGroups | ModelTargets): m is ModelTargets {
  return (m as { format: string }).format === MODEL_TARGETS_FORMAT;
}

/**
 * The metadata of several targets' columns: each key's value is the JSON
 * array of that key's single-target value, one per target (docs/predict-output.md).
 */
function targetsMetadata(
  doc: ModelTargets,
  interval: PredictInterval,
  level: number,
  residuals: boolean,
): Record<string, string> {
  const each = doc.models.map((m) => {
    const own = outputMetadata(m, interval, level, residuals);
    for (const key of Object.keys(own)) {
      if (key.startsWith('linreg.') && own[key] !== undefined && isColumnKey(key)) {
        own[key] = `${own[key]}_${m.target}`;
      }
    }
    return own;
  });
  const first = each[0] ?? {};
  const meta: Record<string, string> = {};
  for (const key of Object.keys(first)) {
    meta[key] =
      key === 'linreg.interval' || key === 'linreg.level'
        ? (first[key] as string)
        : JSON.stringify(each.map((m) => m[key]));
  }
  return meta;
}

/** Metadata keys whose value is an output column's name. */
function isColumnKey(key: string): boolean {
  return [
    'linreg.prediction',
    'linreg.se_fit',
    'linreg.lower',
    'linreg.upper',
    'linreg.se_pred',
    'linreg.residual',
  ].includes(key);
}

/** A groups document's first model; every group's model must have the same features (one design). */
function firstGroupModel(doc: ModelGroups): LinregModel {
  const first = doc.groups[0]?.model;
  if (first === undefined) throw new SpecError('model', 'the per-group model file holds no group');
  const features = JSON.stringify(first.features);
  doc.groups.forEach((g, i) => {
    if (JSON.stringify(g.model.features) !== features || g.model.target !== first.target) {
      throw new SpecError('model', `group ${i} has other features than group 0: not one fit --by`);
    }
  });
  return first;
}

/** What the predict task needs of a groups document; each `by` column must be in every shard. */
function predictGroupsOf(ctx: PassContext, doc: ModelGroups, timestamps: boolean): PredictGroups {
  const read = clusterRead(ctx, doc.by, timestamps, 'by');
  return {
    by: doc.by,
    categorical: read.categorical,
    keys: doc.groups.map((g) => doc.by.map((name) => g.key[name] as number | string)),
    modelsJson: doc.groups.map((g) => modelJsonForTask(g.model)),
  };
}

/** Every kept column must be in every shard (any type: it is passed through). */
function checkKeptColumns(plan: Plan, keep: readonly string[]): void {
  for (const shard of plan.shards) {
    const columns = shard.columns ?? plan.columns;
    for (const name of keep) {
      if (!columns.some((c) => c.name === name)) {
        throw new IoError(
          'missing-column',
          { file: shard.file, column: name },
          'kept column is missing',
        );
      }
    }
  }
}

/** --residuals: the target (or the formula response's inputs) must be numeric in every shard. */
function checkResponseColumns(plan: Plan, model: LinregModel, timestamps: boolean): void {
  const response = model.terms?.response;
  if (model.terms !== undefined && response === undefined) {
    throw new SpecError(
      'residuals',
      'the model has no response (a formula without a left-hand side)',
    );
  }
  const inputs = model.terms?.inputs ?? [];
  const names = new Set<string>();
  if (response === undefined) names.add(model.target);
  else
    for (const i of inputsOf(response.expr, new Set()))
      names.add((inputs[i] as { name: string }).name);
  for (const shard of plan.shards) {
    const columns = shard.columns ?? plan.columns;
    for (const name of names) {
      if (!columns.some((c) => c.name === name)) {
        throw new IoError(
          'missing-column',
          { file: shard.file, column: name },
          '--residuals needs the response in the data',
        );
      }
    }
  }
  checkPredictColumns(plan, [...names], timestamps);
}

/** The table's predict options (keep, interval, level, format, timestamps, …) and how to run. */
export interface PredictFilesOptions extends PredictSpec {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  /** A shared pool from createPool() (see FitOptions.pool); left running. */
  readonly pool?: WorkerPool | undefined;
  /** Source of the input '-' (an Arrow IPC stream; default process.stdin). */
  readonly stdin?: Readable | undefined;
  /** Where the output '-' goes (default process.stdout). */
  readonly stdout?: NodeJS.WritableStream | undefined;
}

/** Keys of PredictFilesOptions that are not table options. */
const RUN_OPTIONS = ['signal', 'onProgress', 'pool', 'stdin', 'stdout'] as const;

export interface PredictFilesResult {
  readonly output: string;
  /** Output column names in order. */
  readonly columns: readonly string[];
  readonly rows: number;
  /** Rows whose prediction is null because a feature was missing. */
  readonly rowsMissing: number;
  readonly units: number;
  readonly workers: number;
  readonly seconds: number;
}

/**
 * Every shard must hold every column the model needs, as a number (or, with
 * `timestamps`, a date, time or timestamp read as seconds); the error names the shard.
 */
export function checkPredictColumns(
  plan: Plan,
  needed: readonly string[],
  timestamps = false,
): void {
  for (const shard of plan.shards) {
    const columns = shard.columns ?? plan.columns;
    const byName = columnsByName(columns);
    for (const name of needed) {
      const column = byName.get(name);
      if (column === undefined) {
        throw new IoError(
          'missing-column',
          { file: shard.file, column: name },
          'column required by the model is missing',
        );
      }
      if (!column.numeric && !(timestamps && column.temporal === true)) {
        const hint = column.temporal === true ? ` (${temporalHint(column.sourceType)})` : '';
        throw new IoError(
          'non-numeric',
          { file: shard.file, column: name },
          `type ${column.sourceType} is not numeric${hint}`,
        );
      }
    }
  }
}

export async function predictFiles(
  modelOrGroups: LinregModel | ModelGroups | ModelTargets,
  inputs: readonly string[],
  output: string,
  options: PredictFilesOptions = {},
): Promise<PredictFilesResult> {
  const started = performance.now();
  const groups = isModelGroups(modelOrGroups) ? modelOrGroups : undefined;
  const targets = isModelTargets(modelOrGroups) ? modelOrGroups : undefined;
  const model =
    groups !== undefined
      ? firstGroupModel(groups)
      : targets !== undefined
        ? (targets.models[0] as LinregModel)
        : (modelOrGroups as LinregModel);
  const o = resolvePredictSpec(options, model, RUN_OPTIONS);
  const { keep, level, interval } = o;
  const residuals = o.residuals === true;
  const stdin = inputs.length === 1 && inputs[0] === '-';
  if (inputs.includes('-') && !stdin) {
    throw new SpecError('inputs', "'-' (stdin) cannot be combined with other inputs");
  }
  const predicted =
    targets === undefined
      ? predictionNames(interval, level, residuals)
      : targetColumnNames(targets.targets, interval, level, residuals);
  const names = [...keep, ...predicted];
  if (new Set(names).size !== names.length) {
    throw new SpecError(
      'keep',
      `kept columns clash with each other or with the output columns (${predicted.join(', ')})`,
    );
  }
  const source = stdin
    ? await openStreamSource(options.stdin ?? process.stdin)
    : await openFileSource(inputs, {
        format: o.format,
        workers: o.workers,
        pool: options.pool,
        remote: { s3Endpoint: o.s3Endpoint, s3Region: o.s3Region },
      });
  let rows = 0;
  let rowsMissing = 0;
  try {
    const timestamps = o.timestamps || model.timestamps === true;
    if (model.terms === undefined) {
      checkPredictColumns(source.plan, model.features, timestamps);
    } else {
      checkInputs(
        source.plan,
        predictionProgram(model.terms),
        timestamps,
        'column required by the model is missing',
      );
    }
    checkKeptColumns(source.plan, keep);
    if (residuals) {
      for (const m of targets?.models ?? [model]) checkResponseColumns(source.plan, m, timestamps);
    }
    const ctx: PassContext = {
      source,
      batchRows: o.batchRows,
      signal: options.signal,
      onProgress: options.onProgress,
    };
    const args = {
      ...(groups === undefined ? {} : { groups: predictGroupsOf(ctx, groups, timestamps) }),
      ...(targets === undefined ? {} : { targets: targets.models.map((m) => modelJsonForTask(m)) }),
      modelJson: modelJsonForTask(model),
      keep,
      interval,
      level,
      unseenLevels: o.unseenLevels,
      residuals,
    };
    const writer: OutputWriter = await openWriter(output, names, {
      format: o.outputFormat,
      inputs: stdin ? [] : source.plan.shards.map((shard) => shard.file),
      metadata:
        targets === undefined
          ? outputMetadata(model, interval, level, residuals)
          : targetsMetadata(targets, interval, level, residuals),
      stdout: options.stdout,
    });
    try {
      await runPass(ctx, { kind: 'predict', args, phase: 'predict' }, async (_i, out, counts) => {
        const n = counts.rowsRead;
        if (n > 0) {
          const empty = new Float64Array(0);
          await writer.write({
            rows: n,
            names,
            columns: [...keep.map(() => empty), ...out.columns],
            nulls: [...out.kept.map((k) => k.nulls), ...out.columns.map((c) => nanMask(c, n))],
            raw: [...out.kept, ...out.columns.map(() => null)],
          });
        }
        rows += n;
        rowsMissing += counts.rowsDropped;
      });
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    await source.close();
  }
  return {
    output,
    columns: names,
    rows,
    rowsMissing,
    units: source.units.length,
    workers: source.workers,
    seconds: (performance.now() - started) / 1000,
  };
}
