import { readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CancelledError,
  FitError,
  MissingValueError,
  resolveFitSpec,
  SpecError,
  UnitError,
} from '@linreg/core';
import { UsageError } from '@linreg/errors';
import { IoError } from '@linreg/io';
import { describe, expect, it } from 'vitest';
import { classifyError } from '../../packages/cli/src/exit-codes.js';
import { main } from '../../packages/cli/src/main.js';
import { commaList, optionsFromArgs, withFlagName } from '../../packages/cli/src/options.js';
import {
  createProgressDisplay,
  formatDuration,
  renderProgress,
} from '../../packages/cli/src/progress.js';
import { runCli, tempDir } from '../e2e/cli-harness.js';

describe('exit codes in one place', () => {
  it.each([
    [new IoError('not-found', { file: 'a.parquet' }, 'no such file'), 2, 'a.parquet: no such file'],
    [
      new MissingValueError('a.csv', 'x', 'line 3', 'missing value (NaN)'),
      2,
      'a.csv: x: line 3: missing value (NaN)',
    ],
    [new SpecError('level', 'must be in (0, 1)'), 2, 'level: must be in (0, 1)'],
    [new UsageError('Unknown argument: z'), 2, 'Unknown argument: z'],
    [new FitError('no usable rows'), 1, 'no usable rows'],
    [
      new UnitError('a.parquet', 'a.parquet row group 2', 'worker failed'),
      1,
      'a.parquet: a.parquet row group 2: worker failed',
    ],
    [new CancelledError(), 130, 'interrupted'],
    [
      new TypeError('x is not a function\n    at foo (bar.js:1:1)'),
      1,
      'internal error: TypeError: x is not a function at foo (bar.js:1:1)',
    ],
  ])('%s → exit %i', (error, code, message) => {
    expect(classifyError(error)).toEqual({ code, message });
  });
});

describe('option parsing', () => {
  it('splits comma lists', () => {
    expect(commaList('a, b,,c')).toEqual(['a', 'b', 'c']);
    expect(commaList(undefined)).toBeUndefined();
  });
  it('reads --ridge as a number or auto; the core checks it and the CLI names the flag', () => {
    const ridge = (value: string) => optionsFromArgs({ ridge: value }, 'fit').ridge;
    expect(ridge('0.5')).toBe(0.5);
    expect(ridge('auto')).toBe('auto');
    const checked = (value: string) => () => {
      try {
        resolveFitSpec({ inputs: ['a.csv'], target: 'y', ridge: ridge(value) as number });
      } catch (error) {
        throw withFlagName(error, 'fit');
      }
    };
    expect(checked('-1')).toThrow(SpecError);
    expect(checked('x')).toThrow(/--ridge/);
  });
});

describe('progress', () => {
  const p = {
    phase: 'read' as const,
    unitsDone: 3,
    unitsTotal: 12,
    rows: 3000,
    bytes: 250,
    bytesTotal: 1000,
    elapsedMs: 1500,
    rowsPerSecond: 2000,
    etaMs: 4500,
  };
  it('renders units, ETA, rate and rows', () => {
    expect(renderProgress(p)).toBe(
      'read [######..................] 3/12 units  ETA 00:05  2.0k rows/s  3000 rows',
    );
    expect(formatDuration(3_725_000)).toBe('1:02:05');
    expect(formatDuration(Number.NaN)).toBe('--:--');
  });
  it('never wraps: parts are dropped, then the line is cut, to fit the width', () => {
    for (const width of [120, 80, 60, 40, 30, 20, 10]) {
      const line = renderProgress({ ...p, label: 'epoch 17 of 20', phase: 'sgd' }, width);
      expect(line.length, `width ${width}: ${line}`).toBeLessThan(width);
    }
    expect(renderProgress(p, 40)).toBe('read [##....] 3/12 units  ETA 00:05');
  });
  it('shows no rate before half a second, and the SGD epoch', () => {
    const early = renderProgress({ ...p, elapsedMs: 3, rowsPerSecond: 5.9623e9 });
    expect(early).not.toContain('rows/s');
    expect(renderProgress({ ...p, phase: 'sgd', label: 'epoch 3 of 20' })).toMatch(
      /^sgd epoch 3 of 20 \[/,
    );
  });
  it('draws only on a terminal and never with --quiet', () => {
    let written = '';
    const sink = (isTTY: boolean) => ({ write: (s: string) => (written += s), isTTY });
    expect(createProgressDisplay(sink(false), false).onProgress).toBeUndefined();
    expect(createProgressDisplay(sink(true), true).onProgress).toBeUndefined();
    const display = createProgressDisplay(sink(true), false);
    // A first line at once, before any unit is done.
    expect(written).toContain('starting');
    display.onProgress?.({ ...p, unitsDone: 12, bytes: 1000 });
    display.done();
    expect(written).toContain('12/12 units');
    expect(written.endsWith('\r\x1b[2K')).toBe(true);
  });
});

describe('linreg shell', () => {
  it('prints help with examples for every command', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const command of ['fit', 'predict', 'summary', 'inspect', 'gen', 'demo']) {
      expect(top.stdout).toContain(`linreg ${command}`);
      const help = await runCli([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain('Examples:');
    }
  });
  it('exits 130 with one line when cancelled (SIGINT)', async () => {
    const dir = await tempDir('cancel');
    const file = join(dir, 'a.csv');
    await writeFile(file, 'x,y\n1,2\n2,3\n3,5\n');
    const controller = new AbortController();
    controller.abort();
    let stderr = '';
    const code = await main(['fit', file, '-y', 'y', '-o', join(dir, 'm.json')], {
      stdout: { write: () => true },
      stderr: { write: (s: string) => (stderr += s) },
      signal: controller.signal,
    });
    expect(code).toBe(130);
    expect(stderr).toBe('linreg: interrupted\n');
    expect(await readdir(dir)).toEqual(['a.csv']);
    await rm(dir, { recursive: true, force: true });
  });

  it('requires a command', async () => {
    const run = await runCli([]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^linreg: a command is required/);
  });
});
