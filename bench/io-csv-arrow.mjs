#!/usr/bin/env node
/**
 * CSV parse throughput and Arrow IPC read throughput, side by side, on the
 * same generated data (linreg's generator: float64 columns x0..x{P-2} and y),
 * cached under bench/data/. Each run plans the file and reads every unit in
 * this one thread (1 core), touching every value (a checksum), so "values/s"
 * is rows x columns / seconds for a single core, by wall time and by this
 * process's CPU time (the better figure on a loaded machine). Median of RUNS runs (files
 * are in the page cache after generation, so this measures parsing/decoding,
 * not the disk).
 *
 * Two CSV variants: values rounded to DECIMALS decimals (Clinger's fast path
 * in csv/decimal.ts) and, with CSV_FULL=1, full-precision shortest round-trip
 * doubles (up to 17 significant digits, as pandas/pyarrow write them: the
 * SWAR digit loop of csv/records.ts and Eisel-Lemire in csv/eisel-lemire.ts).
 * Both are exactly rounded (tests/io/csv-number.test.ts).
 *
 * Env (defaults: the 1M x 101 target; BENCH_ROWS=200000 for a quick run):
 *   BENCH_ROWS=1000000  BENCH_COLS=101  RUNS=3  BATCH=65536  DECIMALS=6  CSV_FULL=0
 * Needs `npx tsc -b packages/io` first (imports packages/io/dist).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const ROWS = env('BENCH_ROWS', 1_000_000);
const COLS = env('BENCH_COLS', 101);
const RUNS = env('RUNS', 3);
const BATCH = env('BATCH', 65_536);
const DECIMALS = env('DECIMALS', 6);
const CSV_FULL = process.env.CSV_FULL === '1';

const io = await import(pathToFileURL(join(root, 'packages/io/dist/index.js')).href);

/** Generates (once) a data set in `format`; returns its single file. */
async function dataset(format, decimals) {
  const tag = decimals === undefined ? 'full' : `d${decimals}`;
  const dir = join(here, 'data', `io-${format}-${ROWS}x${COLS}-${tag}`);
  const ext = format === 'csv' ? 'csv' : 'arrow';
  const file = join(dir, `part-00000.${ext}`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const started = performance.now();
    await io.generateDataset({
      dir,
      rows: ROWS,
      cols: COLS - 1,
      shards: 1,
      format,
      seed: 2026,
      rowGroupRows: BATCH,
      decimals,
    });
    console.log(`generated ${file} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return file;
}

/** Plans `file` and reads every value of every column once; returns [seconds, checksum]. */
async function readAll(file) {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const plan = await io.planInputs([file]);
  const columns = plan.columns.map((c) => c.name);
  let sum = 0;
  let rows = 0;
  for (const unit of plan.units) {
    for await (const batch of io.readUnit(unit, columns, { batchRows: BATCH })) {
      rows += batch.rows;
      for (const values of batch.columns) {
        for (let i = 0; i < batch.rows; i += 1) sum += values[i];
      }
    }
  }
  if (rows !== ROWS) throw new Error(`${file}: read ${rows} rows, expected ${ROWS}`);
  const used = process.cpuUsage(cpu);
  return [(performance.now() - started) / 1000, (used.user + used.system) / 1e6, sum];
}

async function measure(label, file) {
  const times = [];
  const cpuTimes = [];
  let checksum = 0;
  for (let r = 0; r < RUNS; r += 1) {
    const [seconds, cpuSeconds, sum] = await readAll(file);
    times.push(seconds);
    cpuTimes.push(cpuSeconds);
    checksum = sum;
  }
  const middle = (list) => [...list].sort((a, b) => a - b)[Math.floor(list.length / 2)];
  const median = middle(times);
  const cpuMedian = middle(cpuTimes);
  const bytes = statSync(file).size;
  return {
    label,
    median,
    valuesPerSecond: (ROWS * COLS) / median,
    valuesPerCpuSecond: (ROWS * COLS) / cpuMedian,
    cpuMedian,
    mibPerSecond: bytes / 2 ** 20 / median,
    mib: bytes / 2 ** 20,
    checksum,
  };
}

const files = [
  ['CSV, 6-decimal values', await dataset('csv', DECIMALS)],
  ['Arrow IPC file (Float64)', await dataset('arrow', DECIMALS)],
];
if (CSV_FULL) files.splice(1, 0, ['CSV, full-precision values', await dataset('csv', undefined)]);

console.log(
  `\n${ROWS} rows x ${COLS} float64 columns; median of ${RUNS} runs, 1 core, batch ${BATCH}`,
);
const results = [];
for (const [label, file] of files) results.push(await measure(label, file));
console.log('');
console.log(
  'format                         file MiB   wall s   M values/s   MiB/s   cpu s   M values/cpu-s',
);
for (const r of results) {
  console.log(
    [
      r.label.padEnd(30),
      r.mib.toFixed(0).padStart(8),
      r.median.toFixed(3).padStart(8),
      (r.valuesPerSecond / 1e6).toFixed(1).padStart(12),
      r.mibPerSecond.toFixed(0).padStart(7),
      r.cpuMedian.toFixed(3).padStart(7),
      (r.valuesPerCpuSecond / 1e6).toFixed(1).padStart(16),
    ].join(' '),
  );
}
console.log(
  '(cpu s = user + system CPU time of this process: robust when other jobs share the cores)',
);
const [csv, , arrow] = results.length === 3 ? results : [results[0], undefined, results[1]];
if (Math.abs(csv.checksum - arrow.checksum) > 1e-6 * Math.abs(arrow.checksum)) {
  console.error(`checksums differ: csv ${csv.checksum} arrow ${arrow.checksum}`);
  process.exit(1);
}
console.log(
  `\nchecksums agree (${arrow.checksum.toPrecision(12)}); CSV target >= 10 M values/s per core`,
);
