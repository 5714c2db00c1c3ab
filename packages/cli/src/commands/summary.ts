/** `linreg summary <model.json>`: print a saved model's summary table. */
import { readFile } from 'node:fs/promises';
import {
  jsonChunks,
  type LinregModel,
  type ModelFile,
  ModelFormatError,
  type ModelGroups,
  type ModelTargets,
  parseModelFile,
} from '@linreg/core';
import { IoError } from '@linreg/io';
import type { CommandModule } from 'yargs';
import type { CommandContext } from '../context.js';
import { renderSummary } from '../format/table.js';
import { writeChunks } from '../write-chunks.js';

interface SummaryArgs {
  model: string;
  json: boolean;
}

async function readModelBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
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
export async function readModelFile(path: string): Promise<LinregModel> {
  const read = await readAnyModelFile(path);
  if ('groups' in read) {
    throw new ModelFormatError(
      path,
      'format',
      'a per-group model file (linreg-model-groups, from fit --by): only linreg summary and predict read it',
    );
  }
  if ('targets' in read) {
    throw new ModelFormatError(
      path,
      'format',
      'a multi-target model file (linreg-model-targets, from cbind(…) ~ … or --target y1,y2): only linreg summary, predict and score read it',
    );
  }
  return read.model;
}

/**
 * A model file of any kind: one model, the groups document of `fit --by`, or
 * the targets document of several targets. Read as bytes and parsed once
 * (core's parseModelFile): a wide model's file is never decoded to one string.
 */
export async function readAnyModelFile(path: string): Promise<ModelFile> {
  return parseModelFile(await readModelBytes(path), path);
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
      const doc = 'targets' in read ? read.targets : 'groups' in read ? read.groups : read.model;
      if (args.json) {
        // In chunks: a wide model's text does not fit in one string.
        await writeChunks(ctx.io.stdout, jsonChunks(doc));
        return;
      }
      if ('targets' in read) {
        ctx.io.stdout.write(renderTargets(read.targets));
        return;
      }
      if ('groups' in read) {
        ctx.io.stdout.write(renderGroups(read.groups));
        return;
      }
      ctx.io.stdout.write(renderSummary(read.model));
    },
  };
}
