/**
 * Scoring held-out data with a saved model, in parallel (scikit-learn's
 * `score`, Spark's RegressionEvaluator): n, RMSE, MAE, R² and the mean
 * residual over the rows with every needed value present. Each unit sums its
 * residuals (tasks/score-task.ts); the sums merge in unit order.
 *
 * R² = 1 − Σr²/Σ(y − ȳ)² over the scored rows (sklearn's r2_score: it can be
 * negative on held-out data). The data need the target (a formula model's
 * response columns) and every column the model reads; the model's weights
 * column is not used (unweighted metrics).
 */
import { IoError } from '@linreg/errors';
import { type Plan, selectColumns } from '@linreg/io';
import { predictionProgram } from '../../formula/predict-program.js';
import type { LinregModel } from '../../model/model.js';
import { resolveScoreSpec, type ScoreSpec } from '../../options/index.js';
import { rowFilterOf } from '../filter-read.js';
import { checkInputs } from '../model-design.js';
import type { WorkerPool } from '../pool.js';
import { type PassContext, reducePass } from '../run/pass.js';
import type { Progress } from '../run/progress.js';
import { openFileSource } from '../source/file-source.js';
import type { DesignRead } from '../tasks/protocol.js';
import { mergeScore, SCORE_FIELDS } from '../tasks/score-task.js';

export interface ScoreFilesOptions extends ScoreSpec {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  readonly pool?: WorkerPool | undefined;
}

const RUN_OPTIONS = ['signal', 'onProgress', 'pool'] as const;

export interface ScoreResult {
  /** Rows scored (every needed value present). */
  readonly n: number;
  readonly rowsRead: number;
  /** Rows left out for a missing value. */
  readonly rowsMissing: number;
  /** Rows left out by `where` (0 without one). */
  readonly rowsFiltered: number;
  readonly rmse: number;
  readonly mae: number;
  readonly rSquared: number;
  readonly meanResidual: number;
  readonly units: number;
  readonly workers: number;
  readonly seconds: number;
}

export async function scoreFiles(
  model: LinregModel,
  inputs: readonly string[],
  options: ScoreFilesOptions = {},
): Promise<ScoreResult> {
  const started = performance.now();
  const o = resolveScoreSpec(options, model, RUN_OPTIONS);
  const source = await openFileSource(inputs, {
    format: o.format,
    workers: o.workers,
    pool: options.pool,
    remote: { s3Endpoint: o.s3Endpoint, s3Region: o.s3Region },
  });
  try {
    const timestamps = o.timestamps || model.timestamps === true;
    const filter = rowFilterOf(source.plan, o.where, timestamps);
    const read = {
      ...scoreRead(model, source.plan, timestamps),
      ...(filter === undefined ? {} : { filter }),
    };
    const ctx: PassContext = {
      source,
      batchRows: o.batchRows,
      signal: options.signal,
      onProgress: options.onProgress,
    };
    const beta = Float64Array.from(model.coefficients, (c) => c.estimate);
    const pass = await reducePass(
      ctx,
      { kind: 'score', args: { read, beta, intercept: model.intercept }, phase: 'predict' },
      (state: Float64Array) => state,
      mergeScore,
    );
    const s = pass.state ?? new Float64Array(SCORE_FIELDS);
    const n = s[0] as number;
    if (n === 0) {
      throw new IoError(
        'empty',
        { file: inputs[0] ?? '(no input)' },
        `no row to score: ${pass.counts.rowsRead} read, every one with a missing value`,
      );
    }
    return {
      n,
      rowsRead: pass.counts.rowsRead,
      rowsMissing: pass.counts.rowsDropped,
      rowsFiltered: pass.counts.rowsRead - pass.counts.rowsUsed - pass.counts.rowsDropped,
      rmse: Math.sqrt((s[2] as number) / n),
      mae: (s[3] as number) / n,
      rSquared: 1 - (s[2] as number) / (s[5] as number),
      meanResidual: (s[1] as number) / n,
      units: source.units.length,
      workers: source.workers,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await source.close();
  }
}

/** What the score pass reads: the model's terms with the response, or its feature and target columns. */
function scoreRead(model: LinregModel, plan: Plan, timestamps: boolean): DesignRead {
  if (model.terms !== undefined) {
    // The response is needed; the weights are not.
    const program = predictionProgram(model.terms, true);
    checkInputs(plan, program, timestamps);
    return {
      columns: { features: model.features, target: model.target },
      missing: 'drop',
      program,
    };
  }
  const selected = selectColumns(plan, {
    target: model.target,
    features: model.features,
    temporal: timestamps,
  });
  return {
    columns: { features: selected.features, target: selected.target },
    missing: 'drop',
  };
}
