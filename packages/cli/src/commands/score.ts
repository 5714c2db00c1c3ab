/**
 * `linreg score <model.json> <inputs..>`: how well a saved model predicts
 * held-out data — n, RMSE, MAE, R² and the mean residual (scikit-learn's
 * `score`, Spark's RegressionEvaluator), in parallel, without writing the
 * predictions. The data need the target column.
 */
import { ModelFormatError, type ScoreResult, type ScoreSpec, scoreFiles } from '@linreg/core';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { formatNumber } from '../format/numbers.js';
import { optionsFromArgs, quietOption, reportingFlags, withTableOptions } from '../options.js';
import { createProgressDisplay } from '../progress.js';
import { readAnyModelFile } from './summary.js';

interface ScoreArgs {
  readonly [flag: string]: unknown;
  readonly model: string;
  readonly inputs: string[];
  readonly json: boolean;
  readonly quiet: boolean;
}

export function scoreCommand(ctx: CommandContext): CommandModule<object, ScoreArgs> {
  return {
    command: 'score <model> <inputs..>',
    describe: 'Score a saved model on held-out data: n, RMSE, MAE, R², mean residual',
    builder: (y) =>
      withTableOptions(y, 'score')
        .positional('model', {
          describe: 'Model file written by linreg fit --output',
          type: 'string',
          demandOption: true,
        })
        .positional('inputs', {
          describe: 'Files, directories or globs with the target and the model features',
          type: 'string',
          array: true,
          demandOption: true,
        })
        .option('json', { describe: 'Print the scores as JSON', type: 'boolean', default: false })
        .option('quiet', quietOption)
        .example('$0 score model.json holdout/*.parquet', 'RMSE, MAE and R² on the held-out rows')
        .example('$0 score model.json test.csv --json | jq .rmse', 'for a script') as never,
    handler: async (args) => {
      const read = await readAnyModelFile(args.model);
      if ('groups' in read) {
        throw new ModelFormatError(
          args.model,
          'format',
          'a per-group model file (linreg-model-groups, from fit --by): only linreg summary and predict read it',
        );
      }
      // Several targets: each target's model scored in turn (one pass over the data per target).
      const models = 'targets' in read ? read.targets.models : [read.model];
      const results: ScoreResult[] = [];
      for (const model of models) {
        const progress = createProgressDisplay(ctx.io.stderr, args.quiet);
        try {
          results.push(
            await reportingFlags('score', () =>
              scoreFiles(model, args.inputs, {
                ...(optionsFromArgs(args, 'score') as ScoreSpec),
                signal: ctx.io.signal,
                onProgress: progress.onProgress,
              }),
            ),
          );
        } finally {
          progress.done();
        }
      }
      if (!('targets' in read)) {
        const [only] = results as [ScoreResult];
        ctx.io.stdout.write(
          args.json ? `${JSON.stringify(scoreObject(only), null, 2)}\n` : scoreText(only),
        );
        return;
      }
      const targets = read.targets.targets;
      ctx.io.stdout.write(
        args.json
          ? `${JSON.stringify(
              { targets: results.map((r, t) => ({ target: targets[t], ...scoreObject(r) })) },
              null,
              2,
            )}\n`
          : results.map((r, t) => `Response ${targets[t]}:\n${scoreText(r)}`).join('\n'),
      );
    },
  };
}

function scoreObject(r: ScoreResult): Record<string, number | null> {
  const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
  return {
    n: r.n,
    rowsRead: r.rowsRead,
    rowsMissing: r.rowsMissing,
    rowsFiltered: r.rowsFiltered,
    rmse: num(r.rmse),
    mae: num(r.mae),
    rSquared: num(r.rSquared),
    meanResidual: num(r.meanResidual),
  };
}

function scoreText(r: ScoreResult): string {
  return [
    `n:             ${r.n} of ${r.rowsRead} rows read (${r.rowsMissing} with a missing value${r.rowsFiltered > 0 ? `, ${r.rowsFiltered} left out by --where` : ''})`,
    `RMSE:          ${formatNumber(r.rmse, 7)}`,
    `MAE:           ${formatNumber(r.mae, 7)}`,
    `R-squared:     ${formatNumber(r.rSquared, 7)}`,
    `mean residual: ${formatNumber(r.meanResidual, 7)}`,
    '',
  ].join('\n');
}
