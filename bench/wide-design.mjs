#!/usr/bin/env node
/**
 * A wide design (issue "Numerics at scale"): n = 20,000 rows × p = 1,000
 * features from snappy Parquet (4 row groups), fitted by linreg with 2
 * workers, side by side in one run with numpy's `lstsq` on a same-shaped
 * float64 array already in memory (no reading). Median of BENCH_REPS, and
 * linreg's peak RSS.
 *
 * Environment: BENCH_REPS (3), BENCH_WIDE_ROWS (20000), BENCH_WIDE_COLS (1000).
 * Requires `pnpm run build`; the data are generated once into bench/data/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/timing.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? '3'));
const ROWS = Number(process.env.BENCH_WIDE_ROWS ?? '20000');
const COLS = Number(process.env.BENCH_WIDE_COLS ?? '1000');
const io = await import(pathToFileURL(join(root, 'packages/io/dist/index.js')).href);
const dir = join(here, 'data', `wide-${ROWS}x${COLS}`);
if (!existsSync(dir)) {
  await io.generateDataset({
    dir,
    rows: ROWS,
    cols: COLS,
    shards: 1,
    format: 'parquet',
    seed: 12,
    rowGroupRows: Math.ceil(ROWS / 4),
  });
}
const bin = join(root, 'packages/cli/dist/bin.js');

/** One CLI fit in its own process: wall seconds and peak RSS (GNU time when present). */
function linreg(extra) {
  const started = performance.now();
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, bin, 'fit', dir, '-y', 'y', '-j', '2', '-q', ...extra],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`linreg fit failed: ${run.stderr}`);
  const kb = Number(run.stderr.trim().split('\n').pop());
  return { seconds, rssMb: kb / 1024 };
}

function numpy() {
  const script = `
import time, numpy as np
rng = np.random.default_rng(1)
X = np.column_stack([np.ones(${ROWS}), rng.standard_normal((${ROWS}, ${COLS}))])
y = rng.standard_normal(${ROWS})
t = time.perf_counter(); np.linalg.lstsq(X, y, rcond=None); print(time.perf_counter() - t)`;
  const run = spawnSync('python3', ['-c', script], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '2' },
  });
  if (run.status !== 0) return Number.NaN;
  return Number(run.stdout.trim());
}

const cases = {
  'linreg qr, refine off': [],
  'linreg qr, refine auto': [],
  'numpy lstsq (in RAM)': [],
};
let rss = 0;
for (let rep = 0; rep < REPS; rep++) {
  const off = linreg(['--refine', 'off']);
  cases['linreg qr, refine off'].push(off.seconds);
  rss = Math.max(rss, off.rssMb);
  cases['linreg qr, refine auto'].push(linreg([]).seconds);
  cases['numpy lstsq (in RAM)'].push(numpy());
}
const base = median(cases['numpy lstsq (in RAM)']);
process.stdout.write(
  `\n${ROWS} × ${COLS}, 2 workers / 2 BLAS threads, median of ${REPS} (wall s)\n`,
);
for (const [name, times] of Object.entries(cases)) {
  const t = median(times);
  process.stdout.write(
    `${name.padEnd(26)} ${t.toFixed(2).padStart(6)} s  ${(t / base).toFixed(2)}× numpy\n`,
  );
}
process.stdout.write(`linreg peak RSS (refine off): ${rss.toFixed(0)} MB\n`);
