/**
 * `linreg merge part-*.lrstate -o model.json`: the state files of one round,
 * merged in unit order by the fit's own tree, and the fit carried on — to the
 * model, bitwise the one `linreg fit` gives, or to the round document of the
 * next pass when the fit needs one (README "Scaling out").
 */
import { mergePartials } from '@linreg/core';
import type { Argv, CommandModule } from 'yargs';
import { writeFileAtomic } from '../atomic-write.js';
import type { CommandContext } from '../context.js';
import { checkOutputAgainstInputs } from '../output-check.js';
import { anovaOption, jsonOption, type ReportFlags, reportFit } from '../report-fit.js';
import { modelFileText, readPartials, readRoundsFile, roundsFileText } from '../rounds-io.js';

/** Why the fit needs each kind of further pass (the merge's message). */
const WHY: Readonly<Record<string, string>> = {
  levels: 'the design still drops a column and needs the levels of the others',
  accumulate: 'the levels of the factors are known; now the rows are reduced with them',
  refine:
    'iterative refinement (--refine on, or auto: the solution lost digits to the conditioning) reads every row at the current β',
  residual:
    'robust or cluster standard errors and residual diagnostics read every row at the final β',
};

interface MergeArgs extends ReportFlags {
  readonly states: string[];
  readonly output: string;
  readonly model?: string | undefined;
  readonly keepState: boolean;
}

export function mergeCommand(ctx: CommandContext): CommandModule<object, MergeArgs> {
  return {
    command: 'merge <states..>',
    describe:
      'Merge the state files of linreg partial (any order) into the model, or the next round',
    builder: (y: Argv) =>
      y
        .positional('states', {
          describe: 'State files of one round (linreg partial -o), in any order',
          type: 'string',
          array: true,
          demandOption: true,
        })
        .option('output', {
          alias: 'o',
          describe: 'The model (JSON), or the round document when the fit needs another round',
          type: 'string',
          demandOption: true,
        })
        .option('model', {
          describe: 'The round document of the round before (as given to linreg partial --model)',
          type: 'string',
        })
        .option('json', jsonOption)
        .option('anova', anovaOption)
        .option('keep-state', {
          describe: 'Keep the merged state in the model file, for linreg update',
          type: 'boolean',
          default: false,
        })
        .example(
          '$0 merge part-*.lrstate -o model.json',
          'the model linreg fit would give',
        ) as never,
    handler: async (args) => {
      const { io } = ctx;
      await checkOutputAgainstInputs(args.output, [], {
        files: [...args.states, ...(args.model === undefined ? [] : [args.model])],
      });
      const rounds = args.model === undefined ? undefined : await readRoundsFile(args.model);
      const outcome = await mergePartials(await readPartials(args.states), rounds);
      if (!outcome.done) {
        await writeFileAtomic(args.output, roundsFileText(outcome.document));
        const next = outcome.document.next ?? '';
        io.stderr.write(
          `linreg: the fit needs another round, the ${next} pass (${WHY[next] ?? 'a pass over the data'}): run linreg partial with the same inputs and options, --pass ${next} --model ${args.output}, for every part, then linreg merge those files --model ${args.output}\n`,
        );
        return;
      }
      await writeFileAtomic(
        args.output,
        modelFileText(outcome.result.model, args.keepState ? outcome.document : undefined),
      );
      await reportFit(io, outcome.result, args, `merged from ${args.states.length} state file(s)`);
    },
  };
}
