#!/usr/bin/env node
/**
 * Wide designs (issue 12), side by side in one run:
 *
 * 1. n = 20,000 rows × p = 1,000 features from snappy Parquet (4 row groups),
 *    fitted by linreg with 2 workers (`--refine off` and the default), beside
 *    numpy's `lstsq` on a same-shaped float64 array already in memory (no
 *    reading). Median of BENCH_REPS, and linreg's peak RSS.
 * 2. n = 50,000 × p = 4,000 (4 row groups, 1.6 GB of Parquet), once: linreg's
 *    wall time and peak RSS (`--refine off`), and numpy's `lstsq` beside it
 *    when the machine has the memory for it (about 4× the 1.6 GB array free;
 *    its peak RSS includes building the array). BENCH_WIDE_BIG=0 skips it.
 *
 * Environment: BENCH_REPS (3), BENCH_WIDE_ROWS (20000), BENCH_WIDE_COLS (1000),
 * BENCH_WIDE_BIG (1), BENCH_WIDE_BIG_ROWS (50000), BENCH_WIDE_BIG_COLS (4000).
 * Requires `pnpm run build`; the data are generated once into bench/data/.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freemem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/timing.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? '3'));
const ROWS = Number(process.env.BENCH_WIDE_ROWS ?? '20000');
const COLS = Number(process.env.BENCH_WIDE_COLS ?? '1000');
const BIG = process.env.BENCH_WIDE_BIG !== '0';
const BIG_ROWS = Number(process.env.BENCH_WIDE_BIG_ROWS ?? '50000');
const BIG_COLS = Number(process.env.BENCH_WIDE_BIG_COLS ?? '4000');
const io = await import(pathToFileURL(join(root, 'packages/io/dist/index.js')).href);
// The installed command (the package's `bin`): the bundle, as users run it.
const bin = join(root, 'packages/cli/dist/bundle/linreg.js');

/** The data set of `rows` × `cols` in 4 row groups, generated once. */
async function dataset(rows, cols) {
  const dir = join(here, 'data', `wide-${rows}x${cols}`);
  if (!existsSync(dir)) {
    const started = performance.now();
    await io.generateDataset({
      dir,
      rows,
      cols,
      shards: 1,
      format: 'parquet',
      seed: 12,
      rowGroupRows: Math.ceil(rows / 4),
    });
    const s = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`generated ${rows} × ${cols} in ${s} s\n`);
  }
  return dir;
}

/** Peak RSS in MB from GNU time's last stderr line (`-f %M`, KB). */
function peakMb(stderr) {
  return Number(stderr.trim().split('\n').pop()) / 1024;
}

/** One CLI fit in its own process: wall seconds and peak RSS (GNU time). */
function linreg(dir, extra) {
  const started = performance.now();
  const run = spawnSync(
    '/usr/bin/time',
    ['-f', '%M', process.execPath, bin, 'fit', dir, '-y', 'y', '-j', '2', '-q', ...extra],
    { encoding: 'utf8' },
  );
  const seconds = (performance.now() - started) / 1000;
  if (run.status !== 0) throw new Error(`linreg fit failed: ${run.stderr}`);
  return { seconds, rssMb: peakMb(run.stderr) };
}

/** numpy lstsq on a same-shaped array built in memory: its seconds (lstsq alone) and peak RSS. */
function numpy(rows, cols) {
  const script = `
import time, numpy as np
rng = np.random.default_rng(1)
X = np.column_stack([np.ones(${rows}), rng.standard_normal((${rows}, ${cols}))])
y = rng.standard_normal(${rows})
t = time.perf_counter(); np.linalg.lstsq(X, y, rcond=None); print(time.perf_counter() - t)`;
  const run = spawnSync('/usr/bin/time', ['-f', '%M', 'python3', '-c', script], {
    encoding: 'utf8',
    env: { ...process.env, OPENBLAS_NUM_THREADS: '2', OMP_NUM_THREADS: '2' },
  });
  if (run.status !== 0) return { seconds: Number.NaN, rssMb: Number.NaN };
  return { seconds: Number(run.stdout.trim()), rssMb: peakMb(run.stderr) };
}

const line = (name, t, base) =>
  `${name.padEnd(26)} ${t.toFixed(2).padStart(7)} s  ${Number.isFinite(base) ? `${(t / base).toFixed(2)}× numpy` : ''}\n`;

// 1. p = 1,000: median of REPS, the three cases alternating.
const dir = await dataset(ROWS, COLS);
const cases = {
  'linreg qr, refine off': [],
  'linreg qr, refine auto': [],
  'numpy lstsq (in RAM)': [],
};
let rss = 0;
for (let rep = 0; rep < REPS; rep++) {
  const off = linreg(dir, ['--refine', 'off']);
  cases['linreg qr, refine off'].push(off.seconds);
  rss = Math.max(rss, off.rssMb);
  cases['linreg qr, refine auto'].push(linreg(dir, []).seconds);
  cases['numpy lstsq (in RAM)'].push(numpy(ROWS, COLS).seconds);
}
const base = median(cases['numpy lstsq (in RAM)']);
process.stdout.write(
  `\n${ROWS} × ${COLS}, 2 workers / 2 BLAS threads, median of ${REPS} (wall s)\n`,
);
for (const [name, times] of Object.entries(cases)) {
  process.stdout.write(line(name, median(times), base));
}
process.stdout.write(`linreg peak RSS (refine off): ${rss.toFixed(0)} MB\n`);

// 2. p = 4,000, once.
if (BIG) {
  const bigDir = await dataset(BIG_ROWS, BIG_COLS);
  const fit = linreg(bigDir, ['--refine', 'off']);
  const arrayMb = (BIG_ROWS * (BIG_COLS + 1) * 8) / 2 ** 20;
  const room = freemem() / 2 ** 20 > 4 * arrayMb;
  const np = room ? numpy(BIG_ROWS, BIG_COLS) : { seconds: Number.NaN, rssMb: Number.NaN };
  process.stdout.write(`\n${BIG_ROWS} × ${BIG_COLS}, 2 workers / 2 BLAS threads, once (wall s)\n`);
  process.stdout.write(line('linreg qr, refine off', fit.seconds, np.seconds));
  process.stdout.write(`linreg peak RSS: ${fit.rssMb.toFixed(0)} MB\n`);
  if (room) {
    process.stdout.write(line('numpy lstsq (in RAM)', np.seconds, np.seconds));
    process.stdout.write(`numpy peak RSS (with the array): ${np.rssMb.toFixed(0)} MB\n`);
  } else {
    process.stdout.write(`numpy lstsq skipped: less than ${(4 * arrayMb).toFixed(0)} MB free\n`);
  }
}
