/**
 * `linreg partial` / `merge` / `update` end to end: every round of a fit cut
 * into N slices (N = 1, 3, 8, and more slices than units), merged with the
 * files in shuffled order, gives the model `linreg fit` gives, byte for byte
 * but its creation time; refinement, robust SEs and diagnostics as further
 * rounds; damaged, truncated, wrong-version and wrong-fit states refused in
 * one line, exit 2, nothing written; update equal to a refit.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonical, digest } from '../../packages/core/src/engine/rounds/fingerprint.js';
import { requireBuild, runCli, tempDir } from './cli-harness.js';

let root = '';
/** 11 Parquet shards of one row group each: 11 units. */
let numeric = '';
/** 5 CSV files with a text column g, weights w. */
let factors = '';

/** The Park–Miller (Lehmer) generator: seeded, so every run writes the same rows. */
function lehmer(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
}

beforeAll(async () => {
  requireBuild();
  root = await tempDir('partial');
  numeric = join(root, 'num');
  const gen = await runCli(['gen', numeric, '--rows', '11000', '--cols', '3', '--shards', '11']);
  expect(gen.code).toBe(0);
  factors = join(root, 'fac');
  await mkdir(factors);
  const rand = lehmer(7);
  for (let k = 0; k < 5; k++) {
    const rows = ['y,x,g,w,firm'];
    for (let i = 0; i < 400; i++) {
      const x = rand() * 10;
      const g = (['a', 'b', 'c', 'd'] as const)[Math.floor(rand() * 4)] as string;
      const shift = { a: 0, b: 1, c: -1, d: 3 }[g as 'a'];
      rows.push(
        `${(2 * x + shift + rand()).toFixed(6)},${x.toFixed(6)},${g},${(0.5 + rand()).toFixed(4)},${Math.floor(rand() * 30)}`,
      );
    }
    await writeFile(join(factors, `p${k}.csv`), `${rows.join('\n')}\n`);
  }
});

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

/** The model file's text without its creation time. */
const stable = (text: string): string => text.replace(/"created": "[^"]*"/, '"created": ""');
/** The summary without the run line (workers and seconds differ). */
const summaryOf = (text: string): string => text.replace(/\nRun: [^\n]*/, '');

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 48271) % 2147483647;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Runs the fit as rounds of N partials each, merging the files in shuffled order. */
async function roundsFit(
  inputs: string,
  options: readonly string[],
  parts: number,
  tag: string,
): Promise<{ model: string; stdout: string; rounds: string[] }> {
  const dir = join(root, tag);
  await mkdir(dir);
  let previous: string[] = [];
  const rounds: string[] = [];
  for (let r = 0; r < 6; r++) {
    const files: string[] = [];
    for (let i = 0; i < parts; i++) {
      const file = join(dir, `r${r}-${i}.lrstate`);
      const run = await runCli([
        'partial',
        inputs,
        ...options,
        '--part',
        `${i}/${parts}`,
        ...previous,
        '-o',
        file,
        '-q',
        '--workers',
        '1',
      ]);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      files.push(file);
    }
    const out = join(dir, `out${r}.json`);
    const merge = await runCli(['merge', ...shuffled(files, 17 + r), ...previous, '-o', out]);
    expect(merge.code).toBe(0);
    const text = await readFile(out, 'utf8');
    if (!text.includes('"linreg-rounds"')) return { model: text, stdout: merge.stdout, rounds };
    const next = /"next": "(\w+)"/.exec(text)?.[1] ?? '';
    expect(merge.stderr).toContain(`--pass ${next}`);
    rounds.push(next);
    previous = ['--model', out];
  }
  throw new Error('too many rounds');
}

async function fitModel(
  inputs: string,
  options: readonly string[],
  tag: string,
): Promise<{ model: string; stdout: string }> {
  const out = join(root, `${tag}.json`);
  const run = await runCli(['fit', inputs, ...options, '-o', out, '-q']);
  expect(run.code).toBe(0);
  return { model: await readFile(out, 'utf8'), stdout: run.stdout };
}

describe('linreg partial + merge equal linreg fit bitwise', () => {
  it.each([1, 3, 8, 15])('numeric features, N = %i (shuffled files)', async (parts) => {
    const options = ['-y', 'y'];
    const want = await fitModel(numeric, options, `fit-num-${parts}`);
    const got = await roundsFit(numeric, options, parts, `num-${parts}`);
    expect(got.rounds).toEqual([]);
    expect(stable(got.model)).toBe(stable(want.model));
    expect(summaryOf(got.stdout)).toBe(summaryOf(want.stdout));
    expect(got.stdout).toContain('Coefficients');
    expect(got.stdout).toContain(`merged from ${parts} state file(s)`);
  });

  it('slices read from a copy under another directory (as on another node) merge too', async () => {
    const copy = join(root, 'elsewhere', 'num');
    await mkdir(copy, { recursive: true });
    for (let i = 0; i < 11; i++) {
      const name = `part-${String(i).padStart(5, '0')}.parquet`;
      await copyFile(join(numeric, name), join(copy, name));
    }
    const files = [join(root, 'here.lrstate'), join(root, 'there.lrstate')];
    await runCli(['partial', numeric, '-y', 'y', '--part', '0/2', '-o', files[0] as string, '-q']);
    await runCli(['partial', copy, '-y', 'y', '--part', '1/2', '-o', files[1] as string, '-q']);
    const out = join(root, 'two-places.json');
    expect((await runCli(['merge', ...files, '-o', out])).code).toBe(0);
    const want = await fitModel(numeric, ['-y', 'y'], 'fit-two-places');
    expect(stable(await readFile(out, 'utf8'))).toBe(stable(want.model));
  });

  it('merge --json prints the model as fit --json does', async () => {
    const fitted = await runCli(['fit', numeric, '-y', 'y', '--json', '-q']);
    const dir = join(root, 'json');
    await mkdir(dir);
    const files = [0, 1].map((i) => join(dir, `p${i}.lrstate`));
    for (const [i, file] of files.entries()) {
      expect(
        (await runCli(['partial', numeric, '-y', 'y', '--part', `${i}/2`, '-o', file, '-q'])).code,
      ).toBe(0);
    }
    const merged = await runCli(['merge', ...files, '--json', '-o', join(dir, 'm.json')]);
    expect(merged.code).toBe(0);
    expect(stable(merged.stdout)).toBe(stable(fitted.stdout));
  });

  it('a formula with factors, weights and --where: the levels round, then accumulate', async () => {
    const options = ['-f', 'y ~ x * g', '--weights', 'w', '--where', 'x > 1'];
    const want = await fitModel(factors, options, 'fit-fac');
    for (const parts of [3, 8]) {
      const got = await roundsFit(factors, options, parts, `fac-${parts}`);
      // The accumulate round, and a refine round exactly when the fit refined (--refine auto).
      const refined = (JSON.parse(want.model).refinementSteps as number) > 0;
      expect(got.rounds).toEqual(refined ? ['accumulate', 'refine'] : ['accumulate']);
      expect(stable(got.model)).toBe(stable(want.model));
    }
  });

  it('refinement, robust SEs and diagnostics are further rounds, still bitwise', async () => {
    const options = ['-y', 'y', '--refine', 'on', '--se', 'hc3', '--diagnostics'];
    const want = await fitModel(numeric, options, 'fit-refine');
    const got = await roundsFit(numeric, options, 3, 'refine');
    expect(got.rounds[0]).toBe('refine');
    expect(got.rounds[got.rounds.length - 1]).toBe('residual');
    expect(stable(got.model)).toBe(stable(want.model));
    expect(JSON.parse(got.model).diagnostics).toBeDefined();
    // The top rows by Cook's distance and leverage too: the same rows from 3 slices.
    expect(JSON.parse(got.model).diagnostics.topCook).toHaveLength(5);
    expect(JSON.parse(got.model).diagnostics.topLeverage).toHaveLength(5);
  });

  it('the default --refine auto on an ill-conditioned design: a refine round', async () => {
    const ill = join(root, 'ill-data');
    await mkdir(ill);
    const rand = lehmer(3);
    for (let k = 0; k < 4; k++) {
      const rows = ['y,x1,x2'];
      for (let i = 0; i < 500; i++) {
        const x1 = 1e6 + rand();
        const x2 = x1 + 1e-5 * rand();
        rows.push(
          `${(x1 - x2 * 0.5 + rand()).toPrecision(17)},${x1.toPrecision(17)},${x2.toPrecision(17)}`,
        );
      }
      await writeFile(join(ill, `p${k}.csv`), `${rows.join('\n')}\n`);
    }
    const want = await fitModel(ill, ['-y', 'y'], 'fit-ill');
    expect(JSON.parse(want.model).refinementSteps).toBeGreaterThan(0);
    const got = await roundsFit(ill, ['-y', 'y'], 3, 'ill');
    expect(got.rounds[0]).toBe('refine');
    expect(stable(got.model)).toBe(stable(want.model));
  });

  it('cluster-robust SEs: the residual round carries the cluster sums', async () => {
    const options = ['-f', 'y ~ x + g', '--cluster', 'firm'];
    const want = await fitModel(factors, options, 'fit-cluster');
    const got = await roundsFit(factors, options, 3, 'cluster');
    expect(got.rounds).toEqual(['accumulate', 'residual']);
    expect(stable(got.model)).toBe(stable(want.model));
  });
});

describe('refusals: one line, exit 2, nothing written', () => {
  let parts: string[] = [];
  let round2: string[] = [];
  beforeAll(async () => {
    const dir = join(root, 'refuse');
    await mkdir(dir);
    parts = [0, 1, 2].map((i) => join(dir, `p${i}.lrstate`));
    for (const [i, file] of parts.entries()) {
      expect(
        (await runCli(['partial', numeric, '-y', 'y', '--part', `${i}/3`, '-o', file, '-q'])).code,
      ).toBe(0);
    }
    const fround = join(dir, 'round.json');
    const fparts = [0, 1].map((i) => join(dir, `f${i}.lrstate`));
    for (const [i, file] of fparts.entries()) {
      await runCli(['partial', factors, '-f', 'y ~ g', '--part', `${i}/2`, '-o', file, '-q']);
    }
    expect((await runCli(['merge', ...fparts, '-o', fround])).code).toBe(0);
    round2 = [0, 1].map((i) => join(dir, `a${i}.lrstate`));
    for (const [i, file] of round2.entries()) {
      const run = await runCli([
        'partial',
        factors,
        '-f',
        'y ~ g',
        '--part',
        `${i}/2`,
        '--model',
        fround,
        '-o',
        file,
        '-q',
      ]);
      expect(run.code).toBe(0);
    }
  });

  async function refused(files: readonly string[], pattern: RegExp): Promise<void> {
    const out = join(root, 'refuse', 'never.json');
    const run = await runCli(['merge', ...files, '-o', out]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(pattern);
    expect(existsSync(out)).toBe(false);
  }

  async function damaged(name: string, change: (bytes: Buffer) => Buffer): Promise<string> {
    const file = join(root, 'refuse', name);
    await writeFile(file, change(await readFile(parts[0] as string)));
    return file;
  }

  it('a tampered byte fails the checksum', async () => {
    const file = await damaged('tampered.lrstate', (b) => {
      const c = Buffer.from(b);
      c[c.length - 100] = (c[c.length - 100] as number) ^ 1;
      return c;
    });
    await refused(
      [file, parts[1] as string, parts[2] as string],
      /tampered\.lrstate: checksum mismatch/,
    );
  });

  it('a truncated file', async () => {
    const file = await damaged('short.lrstate', (b) => b.subarray(0, b.length - 40));
    await refused([file, parts[1] as string, parts[2] as string], /short\.lrstate: truncated/);
  });

  it('another version', async () => {
    const file = await damaged('v3.lrstate', (b) => {
      const c = Buffer.from(b);
      c.writeUInt32LE(3, 16);
      return c;
    });
    await refused(
      [file, parts[1] as string, parts[2] as string],
      /v3\.lrstate: state file version 3; this linreg reads version 2$/m,
    );
  });

  it('version 1 (v8.serialize states) is refused with the reason', async () => {
    const file = await damaged('v1.lrstate', (b) => {
      const c = Buffer.from(b);
      c.writeUInt32LE(1, 16);
      return c;
    });
    await refused(
      [file, parts[1] as string, parts[2] as string],
      /v1\.lrstate: state file version 1; this linreg reads version 2 \(version 1 held Node v8\.serialize states/,
    );
  });

  it('a damaged state value behind a valid checksum', async () => {
    /** `edit` at the first block's state, then the SHA-256 written again, as a hostile file would. */
    const rechecksummed = (name: string, edit: (c: Buffer, state: number) => void) =>
      damaged(name, (b) => {
        const c = Buffer.from(b);
        edit(c, 32 + c.readUInt32LE(20));
        createHash('sha256')
          .update(c.subarray(0, c.length - 32))
          .digest()
          .copy(c, c.length - 32);
        return c;
      });
    const others = [parts[1] as string, parts[2] as string];
    // byte 8 of a state is its value's tag (an object); bytes 9–12 the object's key count
    const tag = await rechecksummed('tag.lrstate', (c, at) => {
      c[at + 8] = 0x7f;
    });
    await refused([tag, ...others], /tag\.lrstate: block 1: unknown value tag 0x7f at byte 8$/m);
    const length = await rechecksummed('length.lrstate', (c, at) => {
      c.writeUInt32LE(0xffffffff, at + 9);
    });
    await refused(
      [length, ...others],
      /length\.lrstate: block 1: object of 4294967295 items runs past the end \(\d+ bytes left\) at byte 9$/m,
    );
  });

  it('not a state file at all', async () => {
    const file = join(root, 'refuse', 'text.lrstate');
    await writeFile(file, 'hello');
    await refused([file], /text\.lrstate: not a linreg partial state file/);
  });

  it('a state of another fit', async () => {
    const other = join(root, 'refuse', 'other.lrstate');
    await runCli([
      'partial',
      numeric,
      '-y',
      'y',
      '--features',
      'x0',
      '--part',
      '0/3',
      '-o',
      other,
      '-q',
    ]);
    await refused(
      [parts[1] as string, other, parts[2] as string],
      /other\.lrstate: a state of another fit/,
    );
  });

  it('a missing part and an overlap', async () => {
    await refused(
      [parts[0] as string, parts[2] as string],
      /p2\.lrstate: units \d+\.\.\d+ are in no file/,
    );
    await refused([parts[1] as string, parts[2] as string], /units 0\.\.\d+ are in no file/);
    await refused(
      [...parts, parts[1] as string],
      /p1\.lrstate: units \d+\.\.\d+ are also in .*p1\.lrstate/,
    );
  });

  it('an edited round document', async () => {
    const fround = join(root, 'refuse', 'round.json');
    const edited = join(root, 'refuse', 'edited.json');
    await writeFile(edited, (await readFile(fround, 'utf8')).replace('"y ~ g"', '"y ~ g - 1"'));
    const out = join(root, 'refuse', 'none.lrstate');
    const run = await runCli([
      'partial',
      factors,
      '-f',
      'y ~ g',
      '--part',
      '0/2',
      '--model',
      edited,
      '-o',
      out,
      '-q',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/edited\.json: checksum mismatch: the round document is damaged/);
    expect(existsSync(out)).toBe(false);
    const merged = await runCli([
      'merge',
      ...round2,
      '--model',
      edited,
      '-o',
      join(root, 'refuse', 'never.json'),
    ]);
    expect(merged.code).toBe(2);
    expect(merged.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a later round without its round document', async () => {
    await refused(round2, /a0\.lrstate: a state of round 2: merge it with --model/);
  });

  it('partial: a bad --part, stdin and --by', async () => {
    const out = join(root, 'refuse', 'none.lrstate');
    const stdin = await runCli(['partial', '-', '-y', 'y', '--part', '0/2', '-o', out, '-q']);
    expect(stdin.code).toBe(2);
    expect(stdin.stderr).toMatch(/partial reads files, not stdin/);
    for (const args of [
      ['--part', '3/3'],
      ['--part', 'x'],
      ['--part', '0/2', '--units', '0..1'],
      ['--units', '0..99'],
      ['--part', '0/2', '--by', 'x0'],
      ['--part', '0/2', '--solver', 'sgd'],
    ]) {
      const run = await runCli(['partial', numeric, '-y', 'y', ...args, '-o', out, '-q']);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(existsSync(out)).toBe(false);
    }
  });
});

describe('linreg update', () => {
  /** Shards 0–7 (8 units) as the old rows, 8–10 as the new. */
  let older = '';
  let newer = '';
  beforeAll(async () => {
    older = join(root, 'old');
    newer = join(root, 'new');
    await mkdir(older);
    await mkdir(newer);
    for (let i = 0; i < 11; i++) {
      const name = `part-${String(i).padStart(5, '0')}.parquet`;
      await copyFile(join(numeric, name), join(i < 8 ? older : newer, name));
    }
  });

  it('equals the refit on old and new rows (bitwise here: 8 old units, a power of two)', async () => {
    const kept = join(root, 'kept.json');
    expect((await runCli(['fit', older, '-y', 'y', '--keep-state', '-o', kept, '-q'])).code).toBe(
      0,
    );
    const updated = join(root, 'updated.json');
    const run = await runCli(['update', kept, newer, '-o', updated, '-q']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const refit = await fitModel(numeric, ['-y', 'y'], 'refit');
    const got = JSON.parse(await readFile(updated, 'utf8'));
    const want = JSON.parse(refit.model);
    expect(got.rows).toEqual(want.rows);
    expect(got.coefficients).toEqual(want.coefficients);
    expect(got.statistics).toEqual(want.statistics);
    expect(got.state.format).toBe('linreg-rounds');
    // the updated model predicts and updates again
    const again = join(root, 'again.json');
    expect((await runCli(['update', updated, newer, '-o', again, '-q'])).code).toBe(0);
    expect(JSON.parse(await readFile(again, 'utf8')).rows.read).toBe(want.rows.read + 3000);
  });

  it('refuses a kept state of version 1 (v8.serialize) and a damaged one behind a valid checksum', async () => {
    const model = JSON.parse(await readFile(join(root, 'kept.json'), 'utf8'));
    const old = join(root, 'kept-v1.json');
    await writeFile(old, JSON.stringify({ ...model, state: { ...model.state, version: 1 } }));
    const out = join(root, 'never-updated.json');
    const v1 = await runCli(['update', old, newer, '-o', out, '-q']);
    expect(v1.code).toBe(2);
    expect(v1.stderr.trim().split('\n')).toHaveLength(1);
    expect(v1.stderr).toMatch(
      /kept-v1\.json: round document version 1; this linreg reads version 2 \(version 1 held Node v8\.serialize states/,
    );
    const { checksum: _, ...body } = model.state;
    const pass = body.passes.find((p: { kind: string }) => p.kind === 'accumulate');
    const bytes = Buffer.from(pass.state, 'base64');
    bytes[8] = 0x7f;
    pass.state = bytes.toString('base64');
    const bad = join(root, 'kept-bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        ...model,
        state: { ...body, checksum: digest(JSON.stringify(canonical(body))) },
      }),
    );
    const run = await runCli(['update', bad, newer, '-o', out, '-q']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(
      /kept-bad\.json: accumulate pass: unknown value tag 0x7f at byte 8$/m,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('equals a refit to rounding with factors and weights, unaligned units', async () => {
    const oldDir = join(root, 'fold');
    const newDir = join(root, 'fnew');
    await mkdir(oldDir);
    await mkdir(newDir);
    for (let k = 0; k < 5; k++) {
      await copyFile(join(factors, `p${k}.csv`), join(k < 3 ? oldDir : newDir, `p${k}.csv`));
    }
    const options = ['-f', 'y ~ x + g', '--weights', 'w'];
    const kept = join(root, 'fkept.json');
    expect((await runCli(['fit', oldDir, ...options, '--keep-state', '-o', kept, '-q'])).code).toBe(
      0,
    );
    const updated = join(root, 'fupdated.json');
    expect((await runCli(['update', kept, newDir, '-o', updated, '-q'])).code).toBe(0);
    const want = JSON.parse((await fitModel(factors, options, 'frefit')).model);
    const got = JSON.parse(await readFile(updated, 'utf8'));
    expect(got.features).toEqual(want.features);
    got.coefficients.forEach((c: { estimate: number; stdError: number }, j: number) => {
      const w = want.coefficients[j];
      expect(Math.abs(c.estimate - w.estimate)).toBeLessThan(1e-12 * (1 + Math.abs(w.estimate)));
      expect(Math.abs(c.stdError - w.stdError)).toBeLessThan(1e-12 * w.stdError);
    });
  });

  it('orthogonal poly(): the old basis, fitted values as a refit, and a warning', async () => {
    const options = ['-f', 'y ~ poly(x0, 2) + x1'];
    const kept = join(root, 'poly-kept.json');
    expect((await runCli(['fit', older, ...options, '--keep-state', '-o', kept, '-q'])).code).toBe(
      0,
    );
    const updated = join(root, 'poly-updated.json');
    expect((await runCli(['update', kept, newer, '-o', updated, '-q'])).code).toBe(0);
    const got = JSON.parse(await readFile(updated, 'utf8'));
    const want = JSON.parse((await fitModel(numeric, options, 'poly-refit')).model);
    expect(Math.abs(got.statistics.rss - want.statistics.rss)).toBeLessThan(
      1e-10 * want.statistics.rss,
    );
    expect(got.warnings.join('\n')).toMatch(
      /poly\(\) terms keep the basis of the rows first fitted/,
    ); // --refine auto cannot read the old rows again: a refinement the refit took is skipped, saying so.
    if ((want.refinementSteps as number) > 0) {
      expect(got.warnings.join('\n')).toMatch(
        /refinement skipped: an update reads only the new rows/,
      );
    }
  });

  it('refuses a model without state, and options that need the old rows again', async () => {
    const plain = join(root, 'plain.json');
    await runCli(['fit', older, '-y', 'y', '-o', plain, '-q']);
    const hc = join(root, 'hc.json');
    await runCli(['fit', older, '-y', 'y', '--se', 'hc1', '--keep-state', '-o', hc, '-q']);
    const out = join(root, 'never-updated.json');
    const kept = join(root, 'kept-plain.json');
    await runCli(['fit', older, '-y', 'y', '--keep-state', '-o', kept, '-q']);
    const lacking = join(root, 'lacking.csv');
    await writeFile(lacking, 'y,x0,x1\n1,2,3\n2,3,5\n');
    for (const [model, data, pattern] of [
      [plain, newer, /plain\.json: the model keeps no state/],
      [hc, newer, /--se hc1, which needs a pass over the old rows too/],
      [kept, lacking, /lacking\.csv: x2: no such column/],
    ] as const) {
      const run = await runCli(['update', model, data, '-o', out, '-q']);
      expect(run.code).toBe(2);
      expect(run.stderr.trim().split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(pattern);
      expect(existsSync(out)).toBe(false);
    }
  });
});
