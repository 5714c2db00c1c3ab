/**
 * `linreg report <model.json> <inputs..> -o report.html`: a self-contained
 * HTML diagnostics report of a saved model on data — coefficient table and
 * plot, binned residual plots, the normal Q–Q plot, leverage with the most
 * influential rows, the GCV curve of a ridge fit, the aliasing relations —
 * from two parallel streaming passes (core's reportFiles). The page is
 * written atomically: a failed or interrupted run leaves no file.
 */
import { type ReportData, type ReportSpec, reportFiles } from '@linreg/core';
import { SpecError } from '@linreg/errors';
import type { CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { optionsFromArgs, quietOption, reportingFlags, withTableOptions } from '../options.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { createProgressDisplay } from '../progress.js';
import { reportPage } from '../report/page.js';
import { restoreStdin } from '../stdin-arg.js';
import { readModelFile } from './summary.js';

interface ReportArgs {
  readonly [flag: string]: unknown;
  readonly model: string;
  readonly inputs: string[];
  readonly output: string;
  readonly quiet: boolean;
}

export function reportCommand(ctx: CommandContext): CommandModule<object, ReportArgs> {
  return {
    command: 'report <model> <inputs..>',
    describe: 'Write a self-contained HTML diagnostics report of a saved model on data',
    builder: (y) =>
      withTableOptions(y, 'report')
        .positional('model', {
          describe: 'Model file written by linreg fit --output',
          type: 'string',
          demandOption: true,
        })
        .positional('inputs', {
          describe: 'Files, directories or globs with the target and every column the model reads',
          type: 'string',
          array: true,
          demandOption: true,
        })
        .option('output', {
          alias: 'o',
          describe: 'The HTML file to write (replaced atomically; never one of the inputs)',
          type: 'string',
          demandOption: true,
        })
        .option('quiet', quietOption)
        .example('$0 report model.json data/ -o report.html', 'the report of a fit on its data')
        .example(
          '$0 report model.json holdout.parquet -o holdout.html --top 10',
          'ten rows labelled',
        ) as never,
    handler: async (args) => {
      const [output] = restoreStdin([String(args.output)]) as [string];
      if (output === '-') throw new SpecError('--output', 'a report is a file: give its path');
      const inputs = restoreStdin(args.inputs.map(String));
      await checkOutputAgainstInputs(output, inputs, { files: [args.model], format: args.format });
      const model = await readModelFile(args.model);
      const progress = createProgressDisplay(ctx.io.stderr, args.quiet);
      let data: ReportData;
      try {
        data = await reportingFlags('report', () =>
          reportFiles(model, inputs, {
            ...(optionsFromArgs(args, 'report') as ReportSpec),
            signal: ctx.io.signal,
            onProgress: progress.onProgress,
          }),
        );
      } finally {
        progress.done();
      }
      await writeFileAtomic(output, reportPage({ model, data, modelFile: args.model, inputs }));
      if (!args.quiet) {
        ctx.io.stderr.write(
          `wrote ${output}: ${data.n} rows in ${data.bins} × ${data.bins} bins, ${data.influential.length} rows labelled\n`,
        );
      }
    },
  };
}
