/**
 * Parallel, streaming prediction: each worker predicts one unit and returns
 * its output columns; the main thread is the single writer and writes units
 * in unit order, so the output's row order is the input's. At most a small
 * constant number of units per worker are in memory at once. The output file
 * appears only when complete (io's writers write to a temporary file and
 * rename); on any failure or cancellation nothing is left behind.
 */

import { SpecError } from '@linreg/errors';
import { IoError, type OutputWriter, openWriter, type Plan, temporalHint } from '@linreg/io';
import { predictionProgram } from '../../formula/predict-program.js';
import type { DesignProgram } from '../../formula/program.js';
import type { LinregModel } from '../../model/model.js';
import { modelToJson } from '../../model/model-json.js';
import { type PredictSpec, resolvePredictSpec } from '../../options/index.js';
import { columnKinds } from '../model-design.js';
import type { WorkerPool } from '../pool.js';
import { type PassContext, runPass } from '../run/pass.js';
import type { Progress } from '../run/progress.js';
import { openFileSource } from '../source/file-source.js';
import { predictionNames } from '../tasks/predict-task.js';

/** The table's predict options (keep, interval, level, format, timestamps, …) and how to run. */
export interface PredictFilesOptions extends PredictSpec {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  /** A shared pool from createPool() (see FitOptions.pool); left running. */
  readonly pool?: WorkerPool | undefined;
}

/** Keys of PredictFilesOptions that are not table options. */
const RUN_OPTIONS = ['signal', 'onProgress', 'pool'] as const;

export interface PredictFilesResult {
  readonly output: string;
  /** Output column names in order. */
  readonly columns: readonly string[];
  readonly rows: number;
  /** Rows whose prediction is NaN because a feature was missing. */
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
    for (const name of needed) {
      const column = columns.find((c) => c.name === name);
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

/** A formula model's inputs: numeric ones readable as numbers, factors' as categories, in every shard. */
function checkTermsColumns(plan: Plan, terms: DesignProgram, timestamps: boolean): void {
  const own = predictionProgram(terms);
  for (const shard of plan.shards) {
    const kinds = columnKinds(shard.columns ?? plan.columns, timestamps);
    for (const input of own.inputs) {
      const kind = kinds.find((k) => k.name === input.name);
      if (kind === undefined) {
        throw new IoError(
          'missing-column',
          { file: shard.file, column: input.name },
          'column required by the model is missing',
        );
      }
      if (input.categorical ? !kind.categorical : !kind.numeric) {
        throw new IoError(
          'non-numeric',
          { file: shard.file, column: input.name },
          input.categorical
            ? 'the model reads it as a factor, but it holds no categories'
            : 'the model reads it as a number, but it is not numeric',
        );
      }
    }
  }
}

export async function predictFiles(
  model: LinregModel,
  inputs: readonly string[],
  output: string,
  options: PredictFilesOptions = {},
): Promise<PredictFilesResult> {
  const started = performance.now();
  const o = resolvePredictSpec(options, model, RUN_OPTIONS);
  const { keep, level, interval } = o;
  if (inputs.includes('-'))
    throw new SpecError('inputs', 'predict reads files; stdin is not supported');
  const names = [...keep, ...predictionNames(interval)];
  if (new Set(names).size !== names.length) {
    throw new SpecError(
      'keep',
      `kept columns clash with the output columns (${predictionNames(interval).join(', ')})`,
    );
  }
  const source = await openFileSource(inputs, {
    format: o.format,
    workers: o.workers,
    pool: options.pool,
  });
  let rows = 0;
  let rowsMissing = 0;
  try {
    const timestamps = o.timestamps || model.timestamps === true;
    if (model.terms === undefined) {
      checkPredictColumns(source.plan, [...model.features, ...keep], timestamps);
    } else {
      checkTermsColumns(source.plan, model.terms, timestamps);
      checkPredictColumns(source.plan, keep, timestamps);
    }
    const ctx: PassContext = {
      source,
      batchRows: o.batchRows,
      signal: options.signal,
      onProgress: options.onProgress,
    };
    const args = {
      modelJson: modelToJson(model),
      keep,
      interval,
      level,
      unseenLevels: o.unseenLevels,
    };
    const writer: OutputWriter = await openWriter(output, names, {
      format: o.outputFormat,
      inputs: source.plan.shards.map((shard) => shard.file),
    });
    try {
      await runPass(ctx, { kind: 'predict', args, phase: 'predict' }, async (_i, out, counts) => {
        const n = counts.rowsRead;
        if (n > 0) {
          await writer.write({
            rows: n,
            names,
            columns: out.columns,
            nulls: names.map(() => null),
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
