#!/usr/bin/env node
/**
 * Merges beside the reading: wide TSQR fits with many row groups, where each
 * unit's state costs a merge of two k × k factors (k = 302: ~19 ms; k = 502,
 * merged in double-double: ~85 ms) against a unit read and factored in
 * ~25–70 ms. Since the merges run on the pool's workers
 * (engine/run/offload-merge.ts) the main thread only schedules; before,
 * it merged every unit in turn and set the pace (README, "Merges on the
 * pool").
 *
 * For each data set (generated once into bench/data/: 64,000 rows in 32 row
 * groups of 2,000, p = 300 and p = 500), the library `fit` (`qr`, refine
 * off, BENCH_WORKERS workers, default 2), median of BENCH_REPS (default 3):
 * the wall time, the main thread's CPU time (Linux: /proc/self/task/<pid>/schedstat)
 * and the process's.
 *
 * Requires `pnpm run build`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/timing.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? '3'));
const WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS ?? '2'));
const ROWS = 64_000;
const GROUP_ROWS = 2_000;

const core = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);
const io = await import(pathToFileURL(join(root, 'packages/io/dist/index.js')).href);

async function dataset(cols) {
  const dir = join(here, 'data', `merges-${ROWS}x${cols}-g${ROWS / GROUP_ROWS}`);
  if (!existsSync(dir)) {
    const started = performance.now();
    await io.generateDataset({
      dir,
      rows: ROWS,
      cols,
      shards: 1,
      format: 'parquet',
      seed: 3,
      rowGroupRows: GROUP_ROWS,
    });
    const s = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`generated ${ROWS} × ${cols} in ${s} s\n`);
  }
  return dir;
}

const schedstat = `/proc/self/task/${process.pid}/schedstat`;
/** The main thread's CPU ms so far, or NaN where /proc is not there. */
function mainThreadMs() {
  if (!existsSync(schedstat)) return Number.NaN;
  return Number(readFileSync(schedstat, 'utf8').split(' ')[0]) / 1e6;
}

console.log(
  `${ROWS} rows in ${ROWS / GROUP_ROWS} row groups, qr, refine off, ${WORKERS} workers, median of ${REPS}`,
);
for (const cols of [300, 500]) {
  const dir = await dataset(cols);
  const walls = [];
  const mains = [];
  const cpus = [];
  for (let i = 0; i < REPS; i++) {
    const cpu = process.cpuUsage();
    const main = mainThreadMs();
    const started = performance.now();
    await core.fit({ inputs: [dir], target: 'y', solver: 'qr', refine: 'off', workers: WORKERS });
    walls.push(performance.now() - started);
    mains.push(mainThreadMs() - main);
    const used = process.cpuUsage(cpu);
    cpus.push((used.user + used.system) / 1000);
  }
  console.log(
    `  p = ${cols} (k = ${cols + 2}): wall ${median(walls).toFixed(0)} ms, main thread CPU ${median(mains).toFixed(0)} ms, process CPU ${median(cpus).toFixed(0)} ms`,
  );
}
