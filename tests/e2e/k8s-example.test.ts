/**
 * examples/k8s is documented, not run on a cluster; this runs what its pods
 * would. The shell command of each Job (`command: [sh, -c]`, its folded `args`)
 * is read from the manifest and run with `sh` here — the Indexed Job's once
 * per JOB_COMPLETION_INDEX, then the merge Job's — with /data a temporary
 * directory, `linreg` the built CLI and N = 3. The model must be `linreg fit`'s with
 * the same options (but for `created`), and the merge must refuse a missing part.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, tempDir } from './cli-harness.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const BIN = join(root, 'packages/cli/dist/bin.js');

interface PodCommand {
  /** The `sh -c` script, as Kubernetes would pass it. */
  readonly script: string;
  readonly n: number;
  readonly completions?: number;
  readonly indexed: boolean;
}

/**
 * The container's command from one of our manifests. Not a YAML parser: it
 * reads the few shapes these files use (`args: - >-` folds its lines into one,
 * joined by spaces), and fails when they are not there.
 */
function podCommand(file: string): PodCommand {
  const text = readFileSync(join(root, 'examples/k8s', file), 'utf8');
  expect(text, `${file}: command`).toMatch(/^\s+command: \[sh, -c\]$/m);
  const args = /^(\s+)args:\n\s+- >-\n((?:\1 {4}.*\n)+)/m.exec(text);
  const n = /- name: N\n\s+value: "(\d+)"/.exec(text);
  if (args === null || n === null) throw new Error(`${file}: no folded args or N`);
  const completions = /^\s+completions: (\d+)$/m.exec(text)?.[1];
  return {
    script: (args[2] as string)
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '')
      .join(' '),
    n: Number(n[1]),
    ...(completions === undefined ? {} : { completions: Number(completions) }),
    indexed: /^\s+completionMode: Indexed$/m.test(text),
  };
}

describe('examples/k8s: the Jobs’ commands give the model linreg fit gives', () => {
  // N as the scripts read it: 3 pods, not the manifests' 8, to keep the default run short.
  const N = 3;
  let dir = '';
  let env: NodeJS.ProcessEnv = {};
  // The pods' /data, here.
  const podScript = (command: PodCommand) => command.script.replaceAll('/data', join(dir, 'data'));
  const podEnv = (index?: number): NodeJS.ProcessEnv => ({
    ...env,
    N: String(N),
    ...(index === undefined ? {} : { JOB_COMPLETION_INDEX: String(index) }),
  });
  const pod = (command: PodCommand) =>
    spawnSync('sh', ['-c', podScript(command)], {
      env: podEnv(),
      encoding: 'utf8',
      timeout: 120_000,
    });

  beforeAll(async () => {
    requireBuild();
    dir = await tempDir('k8s');
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'linreg'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, 'linreg'), 0o755);
    env = { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` };
    // 2 units over the 3 indexes: one pod gets an empty slice.
    const gen = ['--rows', '5000', '--cols', '3', '--shards', '2', '--seed', '3', '-q'];
    execFileSync(process.execPath, [BIN, 'gen', join(dir, 'data/input'), ...gen]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs partial per JOB_COMPLETION_INDEX, then merge', async () => {
    const partial = podCommand('partial-job.yaml');
    expect(partial.indexed).toBe(true);
    expect(partial.completions).toBe(partial.n);
    // Two pods at a time (all at once, as `parallelism` would, is too much for a 2-core CI box).
    const runs: (string | undefined)[] = [];
    const runPod = (i: number) =>
      new Promise<string | undefined>((resolve) => {
        execFile(
          'sh',
          ['-c', podScript(partial)],
          { env: podEnv(i), timeout: 120_000 },
          (error, _stdout, stderr) => resolve(error === null ? undefined : `index ${i}: ${stderr}`),
        );
      });
    for (let i = 0; i < N; i += 2) {
      runs.push(...(await Promise.all([i, i + 1].filter((j) => j < N).map(runPod))));
    }
    expect(runs.filter((r) => r !== undefined)).toEqual([]);
    const merge = podCommand('merge-job.yaml');
    expect(merge.n).toBe(partial.n);
    const merged = pod(merge);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout).toContain('(Intercept)');

    // The same options as the Indexed Job's partial, on one machine.
    const options = /linreg partial '\/data\/input\/\*\.parquet' (.*?) --part /.exec(
      partial.script,
    );
    expect(options, partial.script).not.toBeNull();
    const single = join(dir, 'fit.json');
    const fit = ['fit', join(dir, 'data/input/*.parquet'), ...(options?.[1] ?? '').split(' ')];
    execFileSync(process.execPath, [BIN, ...fit, '-q', '-o', single]);
    const created = (path: string) =>
      readFileSync(path, 'utf8').replace(/"created": "[^"]*"/, '"created": ""');
    expect(created(join(dir, 'data/model.json'))).toBe(created(single));

    unlinkSync(join(dir, 'data/parts/part-1.lrstate'));
    const missing = pod(merge);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('part 1 is missing');
  });
});
