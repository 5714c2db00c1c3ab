/**
 * Parallel, streaming prediction: each worker predicts one unit and returns
 * its output columns; the main thread is the single writer and writes units
 * in unit order, so the output's row order is the input's. At most a small
 * constant number of units per worker are in memory at once. The output file
 * appears only when complete (io's writers write to a temporary file and
 * rename); on any failure or cancellation nothing is left behind.
 */
import {
  type DataFormat,
  IoError,
  type OutputWriter,
  openWriter,
  type Plan,
  planInputs,
  temporalHint,
} from '@linreg/io';
import { SpecError } from '../errors.js';
import type { LinregModel } from '../model/model.js';
import { modelToJson } from '../model/model-json.js';
import { bytesOf, UNITS_IN_FLIGHT_PER_WORKER } from './pass.js';
import { leasePool, validateWorkers, type WorkerPool } from './pool.js';
import { predictionNames } from './predict-unit.js';
import { type Progress, ProgressTracker } from './progress.js';
import type { PredictResult, PredictTask } from './protocol.js';
import { runUnits } from './run-units.js';
import { DEFAULT_BATCH_ROWS } from './spec.js';

export interface PredictFilesOptions {
  /** Input columns copied to the output before the predictions (numeric columns only). */
  readonly keep?: readonly string[] | undefined;
  /** Add se, lower and upper columns for this kind of interval. */
  readonly interval?: 'confidence' | 'prediction' | undefined;
  /** Interval level (default: the model's level). */
  readonly level?: number | undefined;
  readonly workers?: number | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  /** Input format (default: detected). */
  readonly format?: DataFormat | undefined;
  /**
   * Read date, time and timestamp columns as seconds since the epoch, as the
   * fit did (default: what the model records, `model.timestamps`).
   */
  readonly timestamps?: boolean | undefined;
  /** Output format (default: from the output's extension). */
  readonly outputFormat?: DataFormat | undefined;
  readonly workerFile?: string | undefined;
  readonly batchRows?: number | undefined;
  /** A shared pool from createPool() (see FitOptions.pool); left running. */
  readonly pool?: WorkerPool | undefined;
}

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

export async function predictFiles(
  model: LinregModel,
  inputs: readonly string[],
  output: string,
  options: PredictFilesOptions = {},
): Promise<PredictFilesResult> {
  const started = performance.now();
  const requested = validateWorkers(options.workers);
  const keep = options.keep ?? [];
  const level = options.level ?? model.level;
  if (!(level > 0 && level < 1)) throw new SpecError('level', `must be in (0, 1), got ${level}`);
  if (inputs.includes('-'))
    throw new SpecError('inputs', 'predict reads files; stdin is not supported');
  const interval = options.interval ?? 'none';
  const names = [...keep, ...predictionNames(interval)];
  if (new Set(names).size !== names.length) {
    throw new SpecError(
      'keep',
      `kept columns clash with the output columns (${predictionNames(interval).join(', ')})`,
    );
  }
  const plan = await planInputs(inputs, { format: options.format });
  const timestamps = options.timestamps === true || model.timestamps === true;
  checkPredictColumns(plan, [...model.features, ...keep], timestamps);
  const modelJson = modelToJson(model);
  const tasks: PredictTask[] = plan.units.map((unit) => ({
    kind: 'predict',
    unit,
    modelJson,
    features: model.features,
    keep,
    interval,
    level,
    batchRows: options.batchRows ?? DEFAULT_BATCH_ROWS,
  }));
  const progress = new ProgressTracker(
    'predict',
    plan.units.length,
    bytesOf(plan.units),
    options.onProgress,
  );
  let rows = 0;
  let rowsMissing = 0;
  const lease = leasePool(options.pool, requested, plan.units.length, options.workerFile);
  const { pool, workers } = lease;
  try {
    const writer: OutputWriter = await openWriter(output, names, { format: options.outputFormat });
    try {
      await runUnits(pool, tasks, {
        maxInFlight: workers * UNITS_IN_FLIGHT_PER_WORKER,
        signal: options.signal,
        onResult: async (_index, result) => {
          const r = result as PredictResult;
          const n = r.rowsRead;
          if (n > 0) {
            await writer.write({
              rows: n,
              names,
              columns: r.columns,
              nulls: names.map(() => null),
            });
          }
          rows += n;
          rowsMissing += r.rowsDropped;
          progress.unitDone(n, r.bytes);
        },
      });
      await writer.close();
    } catch (error) {
      await writer.abort();
      throw error;
    }
  } finally {
    await lease.release();
  }
  return {
    output,
    columns: names,
    rows,
    rowsMissing,
    units: plan.units.length,
    workers,
    seconds: (performance.now() - started) / 1000,
  };
}
