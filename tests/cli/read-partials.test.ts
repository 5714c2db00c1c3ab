/**
 * The CLI's reading of state files for `linreg merge`: headers first, each
 * file's states when the merge asks for them, checked in full then — a file
 * replaced after its header was read is refused in one line naming it.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { computePartial, encodePartialFile } from '@linreg/core';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPartials } from '../../packages/cli/src/rounds-io.js';
import { requireBuild, tempDir } from '../e2e/cli-harness.js';

let root = '';
let data = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('read-partials');
  data = join(root, 'data');
  await generateDataset({
    dir: data,
    rows: 1200,
    cols: 3,
    shards: 1,
    format: 'parquet',
    seed: 4,
    rowGroupRows: 300,
  });
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

describe('readPartials', () => {
  it('reads the header now and the states later, refusing a file replaced in between', async () => {
    const spec = { inputs: [data], target: 'y', refine: 'off' as const, workers: 1 };
    const first = await computePartial(spec, { part: { index: 0, count: 2 } });
    const second = await computePartial(spec, { part: { index: 1, count: 2 } });
    const file = join(root, 'part-0.lrstate');
    await writeFile(file, encodePartialFile(first));
    const [read] = await readPartials([file]);
    if (read === undefined || typeof read.file.states !== 'function') {
      throw new Error('expected a deferred file');
    }
    expect(read.file.header).toEqual(first.header);
    const states = await read.file.states();
    expect(states.map((s) => s.length)).toEqual(first.states.map((s) => s.length));
    // Another valid state file in its place: its header is not the one checked.
    await writeFile(file, encodePartialFile(second));
    await expect(read.file.states()).rejects.toThrow(
      `${file}: the file changed while linreg was reading it; nothing was written`,
    );
  });

  it('names a file that is missing or not a state file', async () => {
    const junk = join(root, 'junk.lrstate');
    await writeFile(junk, 'not a state');
    await expect(readPartials([join(root, 'none.lrstate')])).rejects.toThrow(
      'none.lrstate: no such file',
    );
    await expect(readPartials([junk])).rejects.toThrow(
      `${junk}: not a linreg partial state file (no LinRegPS magic)`,
    );
  });
});
