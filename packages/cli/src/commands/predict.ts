/** `linreg predict <model.json> <inputs..> --output out.parquet`: parallel, streaming predictions in input order. */
import { type PredictSpec, predictFiles } from '@linreg/core';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { optionsFromArgs, quietOption, reportingFlags, withTableOptions } from '../options.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { createProgressDisplay } from '../progress.js';
import { restoreStdin } from '../stdin-arg.js';
import { readAnyModelFile } from './summary.js';

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
          describe:
            "Output file (.parquet, .arrow or .csv), or '-' for standard output (an Arrow IPC stream, or CSV with --output-format csv)",
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
        )
        .example(
          '$0 predict model.json - -o - < in.arrows | duckdb -c "select avg(prediction) from read_arrow(\'/dev/stdin\')"',
          'Arrow IPC stream in and out',
        ) as never,
    handler: async (args) => {
      const inputs = restoreStdin(args.inputs);
      const [output] = restoreStdin([args.output]) as [string];
      const toStdout = output === '-';
      if (!toStdout) {
        await checkOutputAgainstInputs(output, inputs, {
          files: [args.model],
          format: args.format,
        });
      }
      const read = await readAnyModelFile(args.model);
      const model = 'groups' in read ? read.groups : 'targets' in read ? read.targets : read.model;
      const progress = createProgressDisplay(ctx.io.stderr, args.quiet);
      // With the data on stdout, every message goes to stderr.
      const messages = toStdout ? ctx.io.stderr : ctx.io.stdout;
      const sink = ctx.io.stdout as unknown as { once?: unknown; write: unknown };
      const stdout = (
        typeof sink.once === 'function' ? ctx.io.stdout : process.stdout
      ) as NodeJS.WritableStream;
      try {
        const result = await reportingFlags('predict', () =>
          predictFiles(model, inputs, output, {
            ...(optionsFromArgs(args, 'predict') as PredictSpec),
            signal: ctx.io.signal,
            onProgress: progress.onProgress,
            stdin: ctx.io.stdin,
            stdout,
          }),
        );
        progress.done();
        if (!args.quiet) {
          messages.write(
            `wrote ${result.rows} rows (${result.rowsMissing} with a missing feature → null) to ${toStdout ? 'standard output' : result.output}\n`,
          );
        }
      } finally {
        progress.done();
      }
    },
  };
}
