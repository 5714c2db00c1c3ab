/**
 * Signals to a real `linreg` process: SIGTERM, SIGHUP and SIGINT during a
 * predict end it with one line and exit 130, and remove the output's
 * temporary file — no `.tmp` file and no partial output is left in the
 * output's directory.
 */
import { spawn } from 'node:child_process';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateDataset } from '@linreg/io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, tempDir } from './cli-harness.js';

const BIN = new URL('../../packages/cli/dist/bin.js', import.meta.url).pathname;
let root = '';
let model = '';
let data = '';

beforeAll(async () => {
  requireBuild();
  root = await tempDir('cli-signals-');
  data = join(root, 'data');
  await generateDataset({
    dir: data,
    rows: 3_000_000,
    cols: 8,
    shards: 12,
    format: 'parquet',
    seed: 4,
  });
  model = join(root, 'm.json');
  const fit = await run(['fit', join(data, 'part-00000.parquet'), '-y', 'y', '-o', model, '-q']);
  expect(fit.code).toBe(0);
}, 120_000);

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
}

function run(
  args: readonly string[],
  onStart?: (kill: (s: NodeJS.Signals) => void) => void,
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
    onStart?.((s) => child.kill(s));
  });
}

describe('a signal during predict', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT'] as const)(
    '%s: exit 130, one line, no temporary or partial file left',
    async (signal) => {
      const out = join(root, `out-${signal}`);
      await mkdir(out);
      await writeFile(join(out, 'keep.txt'), 'not ours\n');
      const result = await run(
        ['predict', model, data, '-o', join(out, 'pred.parquet'), '-q', '-j', '2'],
        (kill) => {
          // Signal once the writer has started its temporary file.
          const poll = setInterval(async () => {
            const names = await readdir(out);
            if (names.some((n) => n !== 'keep.txt')) {
              clearInterval(poll);
              kill(signal);
            }
          }, 5);
        },
      );
      expect(result.signal).toBeNull();
      expect(result.code).toBe(130);
      expect(result.stderr).toBe('linreg: interrupted\n');
      expect(await readdir(out)).toEqual(['keep.txt']);
    },
    60_000,
  );
});

describe('a signal while stdin sends nothing', () => {
  it('SIGINT on an open, empty pipe: exit 130 with one line, at once', async () => {
    const started = Date.now();
    const result = await new Promise<Run>((resolve) => {
      const child = spawn(process.execPath, [BIN, 'fit', '-', '-y', 'y'], {
        stdio: ['pipe', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
      });
      child.on('exit', (code, signal) => resolve({ code, signal, stderr }));
      // stdin stays open and silent; interrupt after start-up.
      setTimeout(() => child.kill('SIGINT'), 800);
    });
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('linreg: interrupted\n');
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 20_000);
});

describe('a signal during gen', () => {
  it('SIGINT: exit 130, one line, no shard left behind', async () => {
    const out = join(root, 'gen-out');
    const result = await run(
      ['gen', out, '--rows', '20000000', '--cols', '10', '--shards', '8'],
      (kill) => {
        const poll = setInterval(async () => {
          const names = await readdir(out).catch(() => [] as string[]);
          if (names.length > 0) {
            clearInterval(poll);
            kill('SIGINT');
          }
        }, 5);
      },
    );
    expect(result.code).toBe(130);
    expect(result.stderr).toBe('linreg: interrupted\n');
    expect(await readdir(out)).toEqual([]);
  }, 60_000);
});
