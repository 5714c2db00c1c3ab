/** `linreg predict <model.json> <inputs..> --output out.parquet`: parallel, streaming predictions in input order. */
import { predictFiles } from '@linreg/core';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { commaList, inputFormatOption, parseWorkers, workersOption } from '../options.js';
import { createProgressDisplay } from '../progress.js';
import { readModelFile } from './summary.js';

interface PredictArgs {
  model: string;
  inputs: string[];
  output: string;
  keep?: string;
  interval?: 'confidence' | 'prediction';
  level?: number;
  workers?: number;
  format?: 'parquet' | 'arrow' | 'csv';
  timestamps: boolean;
  quiet: boolean;
}

export function predictCommand(ctx: CommandContext): CommandModule<object, PredictArgs> {
  return {
    command: 'predict <model> <inputs..>',
    describe: 'Predict from a saved model, writing one output row per input row, in order',
    builder: (y) =>
      y
        .positional('model', {
          describe: 'Model file written by linreg fit --output',
          type: 'string',
          demandOption: true,
        })
        .positional('inputs', {
          describe: 'Files, directories or globs with the model features',
          type: 'string',
          array: true,
          demandOption: true,
        })
        .option('output', {
          alias: 'o',
          describe: 'Output file (.parquet, .arrow or .csv)',
          type: 'string',
          demandOption: true,
        })
        .option('keep', {
          describe: 'Input columns to copy to the output (numeric), comma-separated',
          type: 'string',
        })
        .option('interval', {
          describe: 'Add se, lower and upper columns',
          choices: ['confidence', 'prediction'] as const,
        })
        .option('level', { describe: 'Interval level (default: the model level)', type: 'number' })
        .option('workers', workersOption)
        .option('format', inputFormatOption)
        .option('timestamps', {
          describe: 'Read date, time and timestamp columns as seconds, as fit --timestamps did',
          type: 'boolean',
          default: false,
        })
        .option('quiet', {
          alias: 'q',
          describe: 'No progress bar',
          type: 'boolean',
          default: false,
        })
        .example(
          '$0 predict model.json new/*.parquet -o pred.parquet --keep id',
          'predictions with an id column',
        )
        .example(
          '$0 predict model.json new.csv -o pred.csv --interval prediction --level 0.9',
          '90% prediction intervals',
        ) as never,
    handler: async (args) => {
      const model = await readModelFile(args.model);
      const progress = createProgressDisplay(ctx.io.stderr, args.quiet);
      try {
        const result = await predictFiles(model, args.inputs, args.output, {
          keep: commaList(args.keep),
          interval: args.interval,
          level: args.level,
          workers: parseWorkers(args.workers),
          format: args.format,
          timestamps: args.timestamps,
          signal: ctx.io.signal,
          onProgress: progress.onProgress,
        });
        progress.done();
        if (!args.quiet) {
          ctx.io.stdout.write(
            `wrote ${result.rows} rows (${result.rowsMissing} with a missing feature → NaN) to ${result.output}\n`,
          );
        }
      } finally {
        progress.done();
      }
    },
  };
}
