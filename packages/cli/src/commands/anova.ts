/**
 * `linreg anova <model.json>`: the model's per-term sequential ANOVA (R's
 * anova(fit)); `linreg anova <small.json> <big.json>`: R's anova(m1, m2) F
 * test of two nested saved models.
 */
import { anovaModels } from '@linreg/core';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { anovaJsonText, renderAnova } from '../format/anova.js';
import { renderTermAnova, termAnovaJsonText } from '../format/term-anova.js';
import { readModelFile } from './summary.js';

interface AnovaArgs {
  small: string;
  big?: string | undefined;
  json: boolean;
}

export function anovaCommand(ctx: CommandContext): CommandModule<object, AnovaArgs> {
  return {
    command: 'anova <small> [big]',
    describe:
      "One model's per-term ANOVA table (R's anova(fit)), or two nested saved models compared by an F test (R's anova(m1, m2))",
    builder: (y) =>
      y
        .positional('small', {
          describe:
            'Model file (written by linreg fit --output); the smaller one when comparing two',
          type: 'string',
          demandOption: true,
        })
        .positional('big', {
          describe: 'Model file of the larger model, fitted to the same rows',
          type: 'string',
        })
        .option('json', {
          describe: 'Print the table as JSON',
          type: 'boolean',
          default: false,
        })
        .example('$0 anova model.json', 'sequential sums of squares, F and p per term')
        .example(
          '$0 anova small.json big.json',
          "does adding big.json's extra features reduce the RSS significantly?",
        ) as never,
    handler: async (args) => {
      const small = await readModelFile(args.small);
      if (args.big === undefined) {
        ctx.io.stdout.write(
          args.json ? termAnovaJsonText(small, args.small) : renderTermAnova(small, args.small),
        );
        return;
      }
      const big = await readModelFile(args.big);
      const table = anovaModels(small, big, [args.small, args.big]);
      ctx.io.stdout.write(
        args.json ? anovaJsonText(table, [args.small, args.big]) : renderAnova(table),
      );
    },
  };
}
