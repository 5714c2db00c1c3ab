/** `linreg fit <inputs..> --target y …`: fit and print the summary table (or JSON); save the model. */
import { type FitSpec, fit } from '@linreg/core';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { modelJsonText } from '../format/json.js';
import { renderSummary } from '../format/table.js';
import {
  commaList,
  inputFormatOption,
  parseRidge,
  parseWorkers,
  workersOption,
} from '../options.js';
import { createProgressDisplay } from '../progress.js';
import { restoreStdin } from '../stdin-arg.js';

export interface FitArgs {
  inputs: string[];
  target: string;
  features?: string;
  exclude?: string;
  intercept: boolean;
  weights?: string;
  solver: 'qr' | 'normal' | 'sgd';
  ridge?: string;
  standardize: boolean;
  aliased: 'min-norm' | 'drop';
  missing: 'drop' | 'error';
  refine: 'auto' | 'on' | 'off';
  level: number;
  workers?: number;
  output?: string;
  json: boolean;
  quiet: boolean;
  format?: 'parquet' | 'arrow' | 'csv';
  timestamps: boolean;
  optimizer?: 'sgd' | 'adam';
  'learning-rate'?: number;
  'batch-size'?: number;
  epochs?: number;
  tol?: number;
  seed?: number;
}

const SGD_FLAGS = ['optimizer', 'learning-rate', 'batch-size', 'epochs', 'tol', 'seed'] as const;

/** The --solver sgd settings, or undefined when none was given (then the exact solvers accept the spec). */
function sgdOptionsOf(args: FitArgs): FitSpec['sgd'] {
  if (SGD_FLAGS.every((flag) => args[flag] === undefined)) return undefined;
  return {
    optimizer: args.optimizer,
    learningRate: args['learning-rate'],
    batchSize: args['batch-size'],
    epochs: args.epochs,
    tol: args.tol,
    seed: args.seed,
  };
}

export function fitSpecOf(args: FitArgs): FitSpec {
  return {
    inputs: restoreStdin(args.inputs),
    target: args.target,
    features: commaList(args.features),
    exclude: commaList(args.exclude),
    intercept: args.intercept,
    weights: args.weights,
    solver: args.solver,
    ridge: parseRidge(args.ridge),
    standardize: args.standardize,
    aliased: args.aliased,
    missing: args.missing,
    refine: args.refine,
    level: args.level,
    format: args.format,
    timestamps: args.timestamps,
    sgd: sgdOptionsOf(args),
  };
}

/** The options of `linreg fit`. */
export function fitBuilder(y: Argv): Argv<FitArgs> {
  return y
    .positional('inputs', {
      describe:
        "Parquet / Arrow / CSV files, directories or globs; '-' reads an Arrow IPC stream from stdin",
      type: 'string',
      array: true,
      demandOption: true,
    })
    .option('target', { alias: 'y', describe: 'Target column', type: 'string', demandOption: true })
    .option('features', {
      describe: 'Feature columns, comma-separated (default: all numeric)',
      type: 'string',
    })
    .option('exclude', { describe: 'Columns to leave out of the default features', type: 'string' })
    .option('intercept', {
      describe: 'Fit an intercept (--no-intercept to omit it)',
      type: 'boolean',
      default: true,
    })
    .option('weights', { describe: 'Column of non-negative case weights (WLS)', type: 'string' })
    .option('solver', {
      describe: 'qr: TSQR (exact, stable); normal: Gram route (fast); sgd',
      choices: ['qr', 'normal', 'sgd'] as const,
      default: 'qr' as const,
    })
    .option('ridge', { describe: "Ridge penalty λ >= 0, or 'auto' (GCV)", type: 'string' })
    .option('standardize', {
      describe: 'Penalize standardized features (ridge)',
      type: 'boolean',
      default: false,
    })
    .option('aliased', {
      describe: 'Rank deficiency: minimum-norm solution or drop aliased columns (R)',
      choices: ['min-norm', 'drop'] as const,
      default: 'min-norm' as const,
    })
    .option('missing', {
      describe: 'Rows with a null/NaN in a used column: drop them, or fail',
      choices: ['drop', 'error'] as const,
      default: 'drop' as const,
    })
    .option('refine', {
      describe: 'Iterative refinement pass over the data',
      choices: ['auto', 'on', 'off'] as const,
      default: 'auto' as const,
    })
    .option('level', {
      describe: 'Confidence level of the intervals',
      type: 'number',
      default: 0.95,
    })
    .option('workers', workersOption)
    .option('format', inputFormatOption)
    .option('timestamps', {
      describe:
        'Read date, time and timestamp columns as seconds since the epoch (times: midnight)',
      type: 'boolean',
      default: false,
    })
    .option('output', {
      alias: 'o',
      describe: 'Write the model (JSON) to this file',
      type: 'string',
    })
    .option('json', {
      describe: 'Print the model as JSON instead of the table',
      type: 'boolean',
      default: false,
    })
    .option('optimizer', {
      describe: 'solver sgd: plain SGD or Adam',
      choices: ['sgd', 'adam'] as const,
      group: 'SGD:',
    })
    .option('learning-rate', {
      describe: 'solver sgd: step size (default: from the data)',
      type: 'number',
      group: 'SGD:',
    })
    .option('batch-size', {
      describe: 'solver sgd: rows per step (default 64)',
      type: 'number',
      group: 'SGD:',
    })
    .option('epochs', {
      describe: 'solver sgd: maximum epochs (default 20)',
      type: 'number',
      group: 'SGD:',
    })
    .option('tol', {
      describe: 'solver sgd: relative change that stops (default 1e-6)',
      type: 'number',
      group: 'SGD:',
    })
    .option('seed', {
      describe: 'solver sgd: PRNG seed of the row order',
      type: 'number',
      group: 'SGD:',
    })
    .option('quiet', {
      alias: 'q',
      describe: 'No progress bar',
      type: 'boolean',
      default: false,
    }) as unknown as Argv<FitArgs>;
}

export function fitCommand(ctx: CommandContext): CommandModule<object, FitArgs> {
  return {
    command: 'fit <inputs..>',
    describe: 'Fit a linear model (OLS / WLS / ridge) on files larger than memory',
    builder: (y) =>
      fitBuilder(y)
        .example('$0 fit data/*.parquet --target y', 'OLS of y on every other numeric column')
        .example(
          '$0 fit data/ -y price --features area,rooms --weights w -o model.json',
          'WLS, save the model',
        )
        .example(
          '$0 fit big.arrow -y y --ridge auto --standardize --json',
          'ridge with λ by GCV, JSON out',
        )
        .example('cat s.arrows | $0 fit - -y y', 'Arrow IPC stream on stdin')
        .example(
          '$0 fit data/ -y y --solver sgd --optimizer adam --epochs 50',
          'averaged Adam, checked against the exact fit',
        ),
    handler: async (args) => {
      const { io } = ctx;
      const progress = createProgressDisplay(io.stderr, args.quiet);
      let result: Awaited<ReturnType<typeof fit>>;
      try {
        result = await fit(fitSpecOf(args), {
          workers: parseWorkers(args.workers),
          signal: io.signal,
          onProgress: progress.onProgress,
          stdin: io.stdin,
        });
      } finally {
        progress.done();
      }
      const { model, stats } = result;
      if (args.output !== undefined) await writeFileAtomic(args.output, modelJsonText(model));
      if (args.json) {
        io.stdout.write(modelJsonText(model));
      } else {
        io.stdout.write(
          renderSummary(model, {
            inputs: stats.inputs,
            units: stats.units,
            workers: stats.workers,
            seconds: stats.seconds,
          }),
        );
      }
    },
  };
}
