/** `linreg predict <model.json> <inputs..> --output out.parquet`: parallel, streaming predictions in input order. */
import { type PredictSpec, predictFiles } from '@linreg/core';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { optionsFromArgs, quietOption, reportingFlags, withTableOptions } from '../options.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { createProgressDisplay } from '../progress.js';
import { readModelFile } from './summary.js';

/** Parsed arguments: the table's predict options under their flags, and the CLI's own. */
interface PredictArgs {
  readonly [flag: string]: unknown;
  readonly model: string;
  readonly inputs: string[];
  readonly output: string;
  readonly quiet: boolean;
}

export function predictCommand(ctx: CommandContext): CommandModule<object, PredictArgs> {
  return {
    command: 'predict <model> <inputs..>',
    describe: 'Predict from a saved model, writing one output row per input row, in order',
    builder: (y) =>
      withTableOptions(y, 'predict')
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
        .option('quiet', quietOption)
        .example(
          '$0 predict model.json new/*.parquet -o pred.parquet --keep id',
          'predictions with an id column',
        )
        .example(
          '$0 predict model.json new.csv -o pred.csv --interval prediction --level 0.9',
          '90% prediction intervals',
        ) as never,
    handler: async (args) => {
      await checkOutputAgainstInputs(args.output, args.inputs, {
        files: [args.model],
        format: args.format,
      });
      const model = await readModelFile(args.model);
      const progress = createProgressDisplay(ctx.io.stderr, args.quiet);
      try {
        const result = await reportingFlags('predict', () =>
          predictFiles(model, args.inputs, args.output, {
            ...(optionsFromArgs(args, 'predict') as PredictSpec),
            signal: ctx.io.signal,
            onProgress: progress.onProgress,
          }),
        );
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
