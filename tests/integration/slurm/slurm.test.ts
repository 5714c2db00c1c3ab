/**
 * linreg on a real scheduler: Slurm from Debian (slurm-wlm, munge), a
 * one-node cluster on localhost, `linreg partial` as an 8-task array job
 * (examples/slurm/partial.sbatch, as a user would submit it), the parts
 * merged by examples/slurm/merge.sbatch, and the model compared with
 * `linreg fit` on the whole data on one machine: the files must be equal
 * byte for byte but for the `created` time.
 *
 * Installing or starting Slurm can fail for reasons that are not linreg's
 * (not root, no Debian mirror, a container that cannot run slurmd): the test
 * is then skipped, printing `skipped: <why>`. A wrong or missing result fails.
 * Run with `pnpm test:slurm`; it prints the time of each phase.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { submitArray, waitForArray } from './array-job.js';
import { type Cluster, startCluster } from './cluster.js';
import { ensureSlurm } from './install-slurm.js';
import { jsonDifferences } from './json-diff.js';
import { mustRun, runCommand } from './run-command.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(root, 'packages/cli/dist/bin.js');
const EXAMPLES = join(root, 'examples/slurm');
const TASKS = 8;
/** The fit: numeric features only, exact, one round (no refinement pass to schedule). */
const FIT_OPTIONS = ['-y', 'y', '--refine', 'off'];

const timings: [phase: string, seconds: number][] = [];
async function timed<T>(phase: string, work: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const result = await work();
  timings.push([phase, (performance.now() - started) / 1000]);
  return result;
}
const report = () =>
  `tests/integration/slurm: ${timings.map(([p, s]) => `${p} ${s.toFixed(1)} s`).join(', ')}`;

let cluster: Cluster | undefined;
let skipped: string | undefined;
const install = await timed('install', () => ensureSlurm(300_000));
if (!install.ok) {
  skipped = install.reason;
} else {
  if (!install.installed) timings[0] = ['install (already installed)', timings[0]?.[1] ?? 0];
  const start = await timed('start', () => startCluster(60_000));
  if (start.ok) cluster = start.cluster;
  else skipped = start.reason;
}
if (skipped !== undefined) console.log(`tests/integration/slurm skipped: ${skipped}`);

describe.skipIf(cluster === undefined)('linreg partial as a Slurm array job, then merge', () => {
  const work = mkdtempSync(join(tmpdir(), 'linreg-slurm-work-'));
  const linreg = (args: readonly string[], timeoutMs = 300_000) =>
    mustRun('node', [BIN, ...args], { cwd: work, timeoutMs });

  afterAll(async () => {
    await timed('stop', () => cluster?.stop());
    rmSync(work, { recursive: true, force: true });
    console.log(report());
  });

  it('an 8-task array of partial, merged, writes the single-machine model', async () => {
    const slurm = cluster as Cluster;
    expect(existsSync(BIN), `${BIN} is missing: build first (pnpm test:slurm does)`).toBe(true);
    // 12 units (3 files × 4 row groups) over 8 tasks: slices of one and two units.
    const data = join(work, 'data');
    linreg(
      ['gen', data, '--rows', '120000', '--cols', '6', '--shards', '3'].concat([
        '--row-group-rows',
        '10000',
        '--seed',
        '14',
        '-q',
      ]),
    );
    const inputs = join(data, '*.parquet');

    const single = join(work, 'fit.json');
    await timed('single-machine fit', () =>
      linreg(['fit', inputs, ...FIT_OPTIONS, '-q', '-o', single]),
    );

    const parts = join(work, 'parts');
    mkdirSync(parts);
    const tasks = await timed('array job', () => {
      const id = submitArray(slurm, {
        script: join(EXAMPLES, 'partial.sbatch'),
        args: [parts, inputs, ...FIT_OPTIONS],
        tasks: TASKS,
        output: join(parts, 'task-%a.out'),
        cwd: work,
        env: { LINREG: `node ${BIN}`, NODE_OPTIONS: '' },
      });
      return waitForArray(slurm, id, 600_000);
    });
    const log = (i: number) => {
      const path = join(parts, `task-${i}.out`);
      return existsSync(path) ? readFileSync(path, 'utf8').trim() : '(no output file)';
    };
    for (const task of tasks) {
      expect(
        `${task.state} ${task.exitCode}`,
        `array task ${task.index}: ${log(task.index)}\n${slurm.logTail(5)}`,
      ).toBe('COMPLETED 0:0');
    }
    expect(tasks.map((t) => t.index)).toEqual([...Array(TASKS).keys()]);
    expect(
      readdirSync(parts)
        .filter((f) => f.endsWith('.lrstate'))
        .sort(),
    ).toEqual([...Array(TASKS).keys()].map((i) => `part-${i}.lrstate`).sort());

    const merged = join(work, 'model.json');
    const merge = await timed('merge', () =>
      runCommand('bash', [join(EXAMPLES, 'merge.sbatch'), parts, String(TASKS), merged], {
        cwd: work,
        env: { ...process.env, LINREG: `node ${BIN}` },
        timeoutMs: 300_000,
      }),
    );
    expect(merge.code, `merge.sbatch: ${merge.stderr}`).toBe(0);
    // merge prints the fit summary, as fit does.
    expect(merge.stdout).toContain('(Intercept)');

    const a = readFileSync(single, 'utf8');
    const b = readFileSync(merged, 'utf8');
    const differences = jsonDifferences(JSON.parse(a), JSON.parse(b));
    console.log(
      `tests/integration/slurm: merged model ${a === b ? 'byte-equal to' : `differs in ${differences.join(', ')} from`} the single-machine fit`,
    );
    // `created` is the clock time of each run; everything else must be the same bytes.
    expect(differences.filter((path) => path !== 'created')).toEqual([]);
    const created = (text: string) => text.replace(/"created": "[^"]*"/, '"created": ""');
    expect(created(b)).toBe(created(a));
  });
});
