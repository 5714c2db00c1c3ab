/**
 * linreg on a real scheduler: Slurm from Debian (slurm-wlm, munge), a
 * one-node cluster on localhost, `linreg partial` as an 8-task array job
 * (examples/slurm/partial.sbatch, as a user would submit it), the parts
 * merged by examples/slurm/merge.sbatch, and the model compared with
 * `linreg fit` on the whole data on one machine: the files must be equal
 * byte for byte but for the `created` time. Then examples/slurm/fit.sh runs
 * a fit that needs two rounds (--refine on) the same way, to the same model,
 * and stops, naming the logs, when a task fails.
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
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runArray } from './array-job.js';
import { type Cluster, startCluster } from './cluster.js';
import { ensureSlurm } from './install-slurm.js';
import { jsonDifferences } from './json-diff.js';
import { mustRun, runCommand } from './run-command.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const BIN = join(root, 'packages/cli/dist/bin.js');
const EXAMPLES = join(root, 'examples/slurm');
const TASKS = 8;

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
const install = ensureSlurm(300_000);
if (!install.ok) {
  skipped = install.reason;
} else {
  timings.push([install.installed ? 'install' : 'install (already installed)', install.seconds]);
  const start = await timed('start', () => startCluster(60_000));
  if (start.ok) cluster = start.cluster;
  else skipped = start.reason;
}
if (skipped !== undefined) console.log(`tests/integration/slurm skipped: ${skipped}`);

/** The single-machine model and a merged one must be the same bytes but for `created`. */
function expectSameModel(single: string, merged: string, what: string): void {
  const a = readFileSync(single, 'utf8');
  const b = readFileSync(merged, 'utf8');
  const differences = jsonDifferences(JSON.parse(a), JSON.parse(b));
  const how = a === b ? 'byte-equal to' : `differs in ${differences.join(', ')} from`;
  console.log(`tests/integration/slurm: ${what}: model ${how} the single-machine fit`);
  // `created` is the clock time of each run; everything else must be the same bytes.
  expect(differences.filter((path) => path !== 'created')).toEqual([]);
  const created = (text: string) => text.replace(/"created": "[^"]*"/, '"created": ""');
  expect(created(b)).toBe(created(a));
}

describe.skipIf(cluster === undefined)('linreg partial as Slurm array jobs, then merge', () => {
  const slurm = cluster as Cluster;
  // Made in beforeAll: a skipped suite runs no hooks, so would not remove it.
  let work = '';
  let inputs = '';
  const env = { ...process.env, LINREG: `node ${BIN}`, NODE_OPTIONS: '' };
  const linreg = (args: readonly string[]) =>
    mustRun('node', [BIN, ...args], { cwd: work, timeoutMs: 300_000 });
  const single = async (name: string, options: readonly string[]) => {
    const path = join(work, name);
    await timed(`single-machine fit ${options.join(' ')}`, () =>
      linreg(['fit', inputs, ...options, '-q', '-o', path]),
    );
    return path;
  };

  beforeAll(() => {
    expect(existsSync(BIN), `${BIN} is missing: build first (pnpm test:slurm does)`).toBe(true);
    work = mkdtempSync(join(tmpdir(), 'linreg-slurm-work-'));
    const data = join(work, 'data');
    // 12 units (3 files × 4 row groups) over 8 tasks: slices of one and two units.
    inputs = join(data, '*.parquet');
    linreg(
      ['gen', data, '--rows', '120000', '--cols', '6', '--shards', '3'].concat([
        '--row-group-rows',
        '10000',
        '--seed',
        '14',
        '-q',
      ]),
    );
  });

  afterAll(async () => {
    await timed('stop', () => cluster?.stop());
    if (work !== '') rmSync(work, { recursive: true, force: true });
    console.log(report());
  });

  it('an 8-task array of partial.sbatch, merge.sbatch: the single-machine model', async () => {
    const options = ['-y', 'y', '--refine', 'off'];
    const reference = await single('fit.json', options);
    const parts = join(work, 'parts');
    mkdirSync(parts);
    const run = await timed('array job', () =>
      runArray(
        slurm,
        {
          script: join(EXAMPLES, 'partial.sbatch'),
          args: [parts, inputs, ...options],
          tasks: TASKS,
          output: join(parts, 'task-%a.out'),
          cwd: work,
          env,
        },
        600_000,
      ),
    );
    const logs = () =>
      [...Array(TASKS).keys()]
        .map((i) => {
          const path = join(parts, `task-${i}.out`);
          return `task ${i}: ${existsSync(path) ? readFileSync(path, 'utf8').trim() : '(no output file)'}`;
        })
        .join('\n');
    expect(
      run.sbatch.code,
      `array job ${run.jobId}: ${run.sbatch.stderr}\n${logs()}\n${slurm.logTail(5)}`,
    ).toBe(0);
    expect(
      readdirSync(parts)
        .filter((f) => f.endsWith('.lrstate'))
        .sort(),
    ).toEqual([...Array(TASKS).keys()].map((i) => `part-${i}.lrstate`).sort());
    // Every task ran (Slurm created its output file) and reported no error.
    expect(logs()).not.toMatch(/\(no output file\)|linreg:/);

    const merged = join(work, 'model.json');
    const merge = await timed('merge', () =>
      runCommand('bash', [join(EXAMPLES, 'merge.sbatch'), parts, String(TASKS), merged], {
        cwd: work,
        env,
        timeoutMs: 300_000,
      }),
    );
    expect(merge.code, `merge.sbatch: ${merge.stderr}`).toBe(0);
    // merge prints the fit summary, as fit does.
    expect(merge.stdout).toContain('(Intercept)');
    expectSameModel(reference, merged, 'partial.sbatch + merge.sbatch');
  });

  it('fit.sh runs the two rounds of --refine on (sbatch --wait) to the single-machine model', async () => {
    const options = ['-y', 'y', '--refine', 'on'];
    const reference = await single('fit-refine.json', options);
    const out = join(work, 'rounds');
    const fit = await timed('fit.sh, 2 rounds', () =>
      runCommand('bash', [join(EXAMPLES, 'fit.sh'), String(TASKS), out, inputs, ...options], {
        cwd: work,
        env: { ...env, SLURM_CONF: slurm.env.SLURM_CONF },
        timeoutMs: 600_000,
      }),
    );
    expect(fit.code, `fit.sh: ${fit.stderr}\n${slurm.logTail(5)}`).toBe(0);
    expect(fit.stderr).toContain('the fit needs a refine pass');
    expect(fit.stderr).toContain('2 round(s)');
    expect(fit.stdout).toContain('(Intercept)');
    expectSameModel(reference, join(out, 'model.json'), 'fit.sh');
  });

  it('fit.sh stops at a failed task, naming the logs', () => {
    const out = join(work, 'failing');
    const fit = runCommand(
      'bash',
      [join(EXAMPLES, 'fit.sh'), String(TASKS), out, inputs, '-y', 'no_such_column'],
      { cwd: work, env: { ...env, SLURM_CONF: slurm.env.SLURM_CONF }, timeoutMs: 300_000 },
    );
    expect(fit.code).toBe(1);
    expect(fit.stderr).toContain(`fit.sh: round 1: a partial task failed; see ${out}/round-1/`);
    expect(existsSync(join(out, 'model.json'))).toBe(false);
    // The task's own log names the problem in linreg's one line.
    const logs = readdirSync(join(out, 'round-1')).filter((f) => f.startsWith('partial-'));
    expect(logs).toHaveLength(TASKS);
    const first = readFileSync(join(out, 'round-1', logs[0] as string), 'utf8');
    expect(first).toContain('no_such_column');
  });
});
