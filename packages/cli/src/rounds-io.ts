/**
 * Reading and writing the files of rounds (partial, merge, update): state
 * files, round documents, and models that keep their state (`"state"`).
 */
import { readFile } from 'node:fs/promises';
import {
  decodePartialFile,
  type LinregModel,
  type NamedPartial,
  parseJsonBytes,
  parseRoundsJson,
  type RoundsDocument,
  roundsJson,
} from '@linreg/core';
import { IoError } from '@linreg/io';
import { modelJsonTextChunks } from './format/json.js';

export async function readBytes(path: string): Promise<Uint8Array> {
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new IoError(
      code === 'ENOENT' ? 'not-found' : 'unreadable',
      { file: path },
      code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`,
    );
  }
}

export async function readPartials(paths: readonly string[]): Promise<NamedPartial[]> {
  return Promise.all(
    paths.map(async (name) => ({ name, file: decodePartialFile(await readBytes(name), name) })),
  );
}

async function readJson(path: string): Promise<unknown> {
  const bytes = await readBytes(path);
  try {
    // From the bytes: a wide model's file (update reads its kept state) is not one string.
    return parseJsonBytes(bytes);
  } catch {
    throw new IoError('bad-format', { file: path }, 'not valid JSON');
  }
}

/** `--model` of partial and merge: the round document merge wrote. */
export async function readRoundsFile(path: string): Promise<{ doc: RoundsDocument; name: string }> {
  const value = await readJson(path);
  if ((value as { format?: unknown } | null)?.format === 'linreg-model') {
    throw new IoError(
      'bad-format',
      { file: path },
      'a finished model, not a round document: the fit needs no further round',
    );
  }
  return { doc: parseRoundsJson(value, path), name: path };
}

/** A model file's kept state (`fit --keep-state`), for update. */
export async function readKeptState(path: string): Promise<RoundsDocument> {
  const value = (await readJson(path)) as { format?: unknown; state?: unknown } | null;
  if (value?.format !== 'linreg-model') {
    throw new IoError('bad-format', { file: path }, 'not a linreg model');
  }
  if (value.state === undefined) {
    throw new IoError(
      'bad-format',
      { file: path },
      'the model keeps no state: fit it with --keep-state (or merge with --keep-state)',
    );
  }
  return parseRoundsJson(value.state, path);
}

/**
 * The model file's text in chunks (a wide model's text is not one string),
 * with the kept state after the model's fields when given.
 */
export function* modelFileText(model: LinregModel, state?: RoundsDocument): Generator<string> {
  if (state === undefined) {
    yield* modelJsonTextChunks(model);
    return;
  }
  // The last chunk ends with the model's closing brace: the state goes before it.
  let last: string | undefined;
  for (const chunk of modelJsonTextChunks(model)) {
    if (last !== undefined) yield last;
    last = chunk;
  }
  const text = last ?? '';
  const end = text.lastIndexOf('}');
  yield `${text.slice(0, end).trimEnd()},\n  "state": ${JSON.stringify(roundsJson(state))}\n}\n`;
}

/** The round document as written by merge when the fit needs another pass. */
export const roundsFileText = (doc: RoundsDocument): string =>
  `${JSON.stringify(roundsJson(doc), null, 1)}\n`;
