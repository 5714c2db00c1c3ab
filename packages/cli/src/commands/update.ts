/**
 * `linreg update model.json NEW_DATA -o model2.json`: a model fitted with
 * --keep-state extended with new rows — equal to fitting old and new rows
 * together, to rounding (biglm's update).
 */
import { parseModel, updateFit } from '@linreg/core';
import { IoError } from '@linreg/io';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { quietOption, yargsOption } from '../options.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { createProgressDisplay } from '../progress.js';
import { anovaOption, jsonOption, type ReportFlags, reportFit } from '../report-fit.js';
import { modelFileText, readBytes, readKeptState } from '../rounds-io.js';

interface UpdateArgs extends ReportFlags {
  readonly model: string;
  readonly inputs: string[];
  readonly output: string;
  readonly workers?: number | undefined;
  readonly quiet: boolean;
}

export function updateCommand(ctx: CommandContext): CommandModule<object, UpdateArgs> {
  return {
    command: 'update <model> <inputs..>',
    describe: 'Add new rows to a model fitted with --keep-state (equal to a refit on all rows)',
    builder: (y: Argv) =>
      y
        .positional('model', {
          describe: 'Model file written by linreg fit --keep-state (or merge --keep-state)',
          type: 'string',
          demandOption: true,
        })
        .positional('inputs', {
          describe: 'The new rows: files, directories or globs',
          type: 'string',
          array: true,
          demandOption: true,
        })
        .option('output', {
          alias: 'o',
          describe: 'The updated model (JSON, keeping its state)',
          type: 'string',
          demandOption: true,
        })
        .option('workers', yargsOption('workers'))
        .option('json', jsonOption)
        .option('anova', anovaOption)
        .option('quiet', quietOption)
        .example(
          '$0 update model.json new/*.parquet -o model2.json',
          'the fit on old and new rows',
        ) as never,
    handler: async (args) => {
      const { io } = ctx;
      await checkOutputAgainstInputs(args.output, args.inputs, { files: [args.model] });
      const old = parseModel(await readBytes(args.model), args.model);
      const kept = await readKeptState(args.model);
      const progress = createProgressDisplay(io.stderr, args.quiet);
      let updated: Awaited<ReturnType<typeof updateFit>>;
      try {
        updated = await updateFit(kept, args.model, args.inputs, {
          workers: args.workers,
          design: { features: old.features, terms: old.terms !== undefined },
          signal: io.signal,
          onProgress: progress.onProgress,
        });
      } finally {
        progress.done();
      }
      const model = updated.result.model;
      if (model.features.join('\u0000') !== old.features.join('\u0000')) {
        throw new IoError(
          'schema-mismatch',
          { file: args.inputs[0] ?? '' },
          `the new rows give the design (${model.features.join(', ')}), the model has (${old.features.join(', ')})`,
        );
      }
      await writeFileAtomic(args.output, modelFileText(model, updated.document));
      await reportFit(io, updated.result, args);
    },
  };
}
