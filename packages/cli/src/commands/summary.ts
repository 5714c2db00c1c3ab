/** `linreg summary <model.json>`: print a saved model's summary table. */
import { readFile } from 'node:fs/promises';
import { parseModel } from '@linreg/core';
import { IoError } from '@linreg/io';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { modelJsonText } from '../format/json.js';
import { renderSummary } from '../format/table.js';

interface SummaryArgs {
  model: string;
  json: boolean;
}

export async function readModelFile(path: string) {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IoError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      { file: path },
      code === 'ENOENT' ? 'no such file' : 'cannot read the model file',
    );
  }
  return parseModel(text, path);
}

export function summaryCommand(ctx: CommandContext): CommandModule<object, SummaryArgs> {
  return {
    command: 'summary <model>',
    describe: 'Print the summary table of a saved model',
    builder: (y) =>
      y
        .positional('model', {
          describe: 'Model file written by linreg fit --output',
          type: 'string',
          demandOption: true,
        })
        .option('json', {
          describe: 'Print the model JSON instead',
          type: 'boolean',
          default: false,
        })
        .example('$0 summary model.json', 'coefficients, R², F, aliasing of a saved fit') as never,
    handler: async (args) => {
      const model = await readModelFile(args.model);
      ctx.io.stdout.write(args.json ? modelJsonText(model) : renderSummary(model));
    },
  };
}
