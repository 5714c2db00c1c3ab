/**
 * Reading and writing the files of rounds (partial, merge, update): state
 * files, round documents, and models that keep their state (`"state"`).
 */
import { open, readFile } from 'node:fs/promises';
import {
  decodePartialFile,
  decodePartialHeader,
  type LinregModel,
  type NamedPartial,
  PARTIAL_PREFIX_BYTES,
  type PartialHeader,
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
    throw unreadable(path, error);
  }
}

function unreadable(path: string, error: unknown): IoError {
  const code = (error as NodeJS.ErrnoException).code;
  return new IoError(
    code === 'ENOENT' ? 'not-found' : 'unreadable',
    { file: path },
    code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? String(error)})`,
  );
}

/**
 * The state files of a merge, each by its header (read now: the merge checks
 * that the files tile one round of one fit before it merges anything), its
 * states read — and checked against the header and the file's checksum —
 * when the merge reaches it, one file at a time: at p = 4,000 a state is
 * 128 MB, and a merge of 64 parts held all of them.
 */
export async function readPartials(paths: readonly string[]): Promise<NamedPartial[]> {
  const partials: NamedPartial[] = [];
  // One file open at a time: a merge of thousands of parts stays under the open-file limit.
  for (const name of paths) {
    const { header, text } = await readPartialHeader(name);
    const states = async (): Promise<readonly Uint8Array[]> => {
      const file = decodePartialFile(await readBytes(name), name);
      if (JSON.stringify(file.header) !== text) {
        throw new IoError(
          'changed',
          { file: name },
          'the file changed while linreg was reading it; nothing was written',
        );
      }
      return file.states;
    };
    partials.push({ name, file: { header, states } });
  }
  return partials;
}

/** A state file's header, from its first bytes and its size. */
async function readPartialHeader(name: string): Promise<{ header: PartialHeader; text: string }> {
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    handle = await open(name, 'r');
    const size = (await handle.stat()).size;
    const prefix = new Uint8Array(Math.min(size, PARTIAL_PREFIX_BYTES));
    await handle.read(prefix, 0, prefix.length, 0);
    // The header's length is in the prefix (bytes 20–23); a bad prefix fails in decodePartialHeader.
    const headerLength =
      prefix.length === PARTIAL_PREFIX_BYTES ? new DataView(prefix.buffer).getUint32(20, true) : 0;
    const head = new Uint8Array(Math.min(size, PARTIAL_PREFIX_BYTES + headerLength));
    await handle.read(head, 0, head.length, 0);
    const { header } = decodePartialHeader(head, size, name);
    return { header, text: JSON.stringify(header) };
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw unreadable(name, error);
  } finally {
    await handle?.close();
  }
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
