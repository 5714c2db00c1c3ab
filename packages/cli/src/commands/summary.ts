/** `linreg summary <model.json>`: print a saved model's summary table. */
import { readFile } from 'node:fs/promises';
import {
  isModelGroupsText,
  isModelTargetsText,
  ModelFormatError,
  type ModelGroups,
  type ModelTargets,
  modelGroupsToJson,
  modelTargetsToJson,
  parseModel,
  parseModelGroups,
  parseModelTargets,
} from '@linreg/core';
import { IoError } from '@linreg/io';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { modelJsonText } from '../format/json.js';
import { renderSummary } from '../format/table.js';

interface SummaryArgs {
  model: string;
  json: boolean;
}

async function readModelText(path: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IoError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      { file: path },
      code === 'ENOENT' ? 'no such file' : 'cannot read the model file',
    );
  }
}

/** One model; a per-group file (`fit --by -o`) is refused with a one-line error (only `summary` and `predict` read it). */
export async function readModelFile(path: string) {
  const text = await readModelText(path);
  if (isModelGroupsText(text)) {
    throw new ModelFormatError(
      path,
      'format',
      'a per-group model file (linreg-model-groups, from fit --by): only linreg summary and predict read it',
    );
  }
  if (isModelTargetsText(text)) {
    throw new ModelFormatError(
      path,
      'format',
      'a multi-target model file (linreg-model-targets, from cbind(…) ~ … or --target y1,y2): only linreg summary, predict and score read it',
    );
  }
  return parseModel(text, path);
}

/** A model file of any kind: one model, the groups document of `fit --by`, or the targets document of several targets. */
export async function readAnyModelFile(
  path: string,
): Promise<
  | { readonly model: ReturnType<typeof parseModel> }
  | { readonly groups: ModelGroups }
  | { readonly targets: ModelTargets }
> {
  const text = await readModelText(path);
  if (isModelTargetsText(text)) return { targets: parseModelTargets(text, path) };
  return isModelGroupsText(text)
    ? { groups: parseModelGroups(text, path) }
    : { model: parseModel(text, path) };
}

/** `Response y1:` before each target's summary, as R's summary(mlm). */
function renderTargets(doc: ModelTargets): string {
  return doc.models.map((m) => `Response ${m.target}:\n${renderSummary(m)}`).join('\n');
}

function groupHeader(doc: ModelGroups, key: Readonly<Record<string, string | number>>): string {
  return `Group: ${doc.by.map((name) => `${name} = ${String(key[name])}`).join(', ')}\n`;
}

function renderGroups(doc: ModelGroups): string {
  return doc.groups.map((g) => groupHeader(doc, g.key) + renderSummary(g.model)).join('\n');
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
      const read = await readAnyModelFile(args.model);
      if ('targets' in read) {
        ctx.io.stdout.write(
          args.json ? modelTargetsToJson(read.targets) : renderTargets(read.targets),
        );
        return;
      }
      if ('groups' in read) {
        ctx.io.stdout.write(args.json ? modelGroupsToJson(read.groups) : renderGroups(read.groups));
        return;
      }
      ctx.io.stdout.write(args.json ? modelJsonText(read.model) : renderSummary(read.model));
    },
  };
}
