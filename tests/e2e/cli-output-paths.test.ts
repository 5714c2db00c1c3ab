/**
 * `-o` safety: output paths are checked before any data is read — the
 * directory must exist, the output must not be a directory, a device, a FIFO
 * or one of the inputs (also through a link) — one line, exit 2, naming the path.
 */
import { execFileSync } from 'node:child_process';
import { lstatSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliRun, requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';
let model = '';
let data = '';
/** A CSV whose data fail to read at line 3: an error about it means the data were read. */
let poisoned = '';
beforeAll(async () => {
  requireBuild();
  root = await tempDir('e2e-out');
  await generateDataset({
    dir: join(root, 'd'),
    rows: 200,
    cols: 2,
    shards: 2,
    format: 'parquet',
    seed: 3,
  });
  data = join(root, 'd', 'part-00000.parquet');
  model = join(root, 'model.json');
  expect((await runCli(['fit', join(root, 'd'), '-y', 'y', '-o', model, '-q'])).code).toBe(0);
  poisoned = join(root, 'poisoned.csv');
  await writeFile(poisoned, 'x0,x1,y\n1,2,3\n4,oops,6\n7,8,9\n');
});
afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

function expectRefused(run: CliRun, path: string, why: string): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toBe(`linreg: ${path}: cannot write: ${why}\n`);
}

async function noTempFiles(dir: string): Promise<void> {
  expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('fit -o', () => {
  it('a missing directory fails before the data are read', async () => {
    const target = join(root, 'missing', 'dir', 'model.json');
    expectRefused(
      await runCli(['fit', poisoned, '-y', 'y', '-o', target]),
      target,
      `the directory does not exist (${join(root, 'missing', 'dir')})`,
    );
  });

  it('a directory, a FIFO, or an input is refused', async () => {
    const fifo = join(root, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expectRefused(
      await runCli(['fit', poisoned, '-y', 'y', '-o', root]),
      root,
      'it is a directory',
    );
    expectRefused(
      await runCli(['fit', poisoned, '-y', 'y', '-o', fifo]),
      fifo,
      'it is not a regular file (a device, FIFO or socket) and an output replaces its target',
    );
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    const before = await readFile(poisoned);
    expectRefused(
      await runCli(['fit', poisoned, '-y', 'y', '-o', poisoned]),
      poisoned,
      'it is one of the inputs',
    );
    expect(await readFile(poisoned)).toEqual(before);
    // A file found by expanding a directory input counts too.
    expectRefused(
      await runCli(['fit', join(root, 'd'), '-y', 'y', '-o', data]),
      data,
      'it is one of the inputs',
    );
    await rm(fifo);
    await noTempFiles(root);
  });
});

describe('predict -o', () => {
  it('refuses to overwrite its input, also through a link, and its model', async () => {
    const before = await readFile(data);
    expectRefused(
      await runCli(['predict', model, data, '-o', data]),
      data,
      'it is one of the inputs',
    );
    const link = join(root, 'link.parquet');
    await symlink(data, link);
    expectRefused(
      await runCli(['predict', model, data, '-o', link]),
      link,
      `it is one of the inputs (${data})`,
    );
    expectRefused(
      await runCli(['predict', model, join(root, 'd'), '-o', model]),
      model,
      'it is one of the inputs',
    );
    expect(await readFile(data)).toEqual(before);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    await rm(link);
    await noTempFiles(join(root, 'd'));
  });

  it('a missing directory is one line naming the output, not a temporary file', async () => {
    const target = join(root, 'nope', 'out.parquet');
    expectRefused(
      await runCli(['predict', model, data, '-o', target]),
      target,
      `the directory does not exist (${join(root, 'nope')})`,
    );
  });

  it('a directory output is refused', async () => {
    const sub = join(root, 'out.csv');
    await mkdir(sub);
    expectRefused(await runCli(['predict', model, data, '-o', sub]), sub, 'it is a directory');
    await rm(sub, { recursive: true });
  });

  it('still writes a fresh output next to the inputs', async () => {
    const out = join(root, 'pred.csv');
    const run = await runCli(['predict', model, data, '-o', out, '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect((await readFile(out, 'utf8')).split('\n')[0]).toBe('prediction');
    // Writing it again replaces it (it is an output, not an input).
    expect((await runCli(['predict', model, data, '-o', out, '-q'])).code).toBe(0);
  });
});
