#!/usr/bin/env node
/**
 * End-to-end benchmark: fit OLS on a rows x cols (+ target) snappy Parquet
 * file with `groups` row groups, side by side with the same normal-equation
 * sums in DuckDB and numpy's in-memory X.T @ X.
 *
 * Cases (median wall and CPU seconds of BENCH_REPS runs each):
 *   linreg parquet, qr,     --workers 1 and 2      (library `fit`, same code path as the CLI;
 *                                                  refine off: one pass, as DuckDB's one query)
 *   linreg parquet, normal, --workers 2
 *   linreg parquet, qr,     --workers 2, a shared pool (createPool, passed as `pool`: the
 *                                                  threads outlive the call, as DuckDB's
 *                                                  instance outlives its queries here)
 *   linreg arrow,   qr,     --workers 2           (the same data as an Arrow IPC file)
 *   duckdb: SELECT count(*), Σ xᵢxⱼ (i ≤ j), Σ xᵢy, Σ y² FROM read_parquet(file)  (threads = 2)
 *   numpy:  X.T @ X on an in-memory float64 array of the same shape (compute only, no I/O)
 *
 * Data are generated once (seeded) and cached in bench/data/ (gitignored).
 *
 * Environment:
 *   BENCH_ROWS (1000000)  BENCH_COLS (100)  BENCH_GROUPS (16)  BENCH_REPS (3)
 *   BENCH_WORKERS ("1,2")  BENCH_SKIP (comma list of: arrow, normal, shared, duckdb, numpy)
 *   BENCH_RSS=1: also peak RSS of a fit at 1M vs 10M rows (BENCH_RSS_COLS wide, default 10)
 * Quick run: BENCH_ROWS=100000 BENCH_COLS=20 BENCH_REPS=3 node bench/end-to-end.mjs
 * Requires `pnpm run build` (the library and its worker run from dist/).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = (name, fallback) => process.env[name] ?? fallback;
const ROWS = Number(env('BENCH_ROWS', '1000000'));
const COLS = Number(env('BENCH_COLS', '100'));
const GROUPS = Number(env('BENCH_GROUPS', '16'));
const REPS = Math.max(1, Number(env('BENCH_REPS', '3')));
const WORKERS = env('BENCH_WORKERS', '1,2').split(',').map(Number);
const SKIP = new Set(env('BENCH_SKIP', '').split(',').filter(Boolean));

// Packages live in the workspace packages; resolve their dependencies from there.
const ioRequire = createRequire(join(root, 'packages/io/package.json'));
const importFrom = (req, name) => import(pathToFileURL(req.resolve(name)).href);
const core = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);

/** mulberry32: a small seeded PRNG (uniform in [0, 1)). */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const namesFor = (cols) => [...Array.from({ length: cols }, (_, j) => `x${j + 1}`), 'y'];
const names = namesFor(COLS);

/** Row group g of a data set: x ~ U(-1, 1), y = 1 + Σ (j+1)/p · x_j + U(-0.5, 0.5). */
function rowGroup(g, rows, cols) {
  const rand = mulberry32(0x5eed + g);
  const columns = namesFor(cols).map(() => new Float64Array(rows));
  const y = columns[cols];
  y.fill(1);
  for (let j = 0; j < cols; j++) {
    const x = columns[j];
    const beta = (j + 1) / cols;
    for (let i = 0; i < rows; i++) {
      const v = 2 * rand() - 1;
      x[i] = v;
      y[i] += beta * v;
    }
  }
  for (let i = 0; i < rows; i++) y[i] += rand() - 0.5;
  return columns;
}

const groupRows = (g, rows, groups) =>
  Math.floor((rows * (g + 1)) / groups) - Math.floor((rows * g) / groups);

/** Write the snappy Parquet file of `shape` (one row group at a time) unless it is cached. */
async function generateParquet(file, shape) {
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  const { ParquetWriter, fileWriter } = await importFrom(ioRequire, 'hyparquet-writer');
  const columnNames = namesFor(shape.cols);
  const temp = `${file}.tmp`;
  const writer = new ParquetWriter({
    writer: fileWriter(temp),
    schema: [
      { name: 'root', num_children: columnNames.length },
      ...columnNames.map((name) => ({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' })),
    ],
    codec: 'SNAPPY',
    statistics: false,
  });
  for (let g = 0; g < shape.groups; g++) {
    const rows = groupRows(g, shape.rows, shape.groups);
    const columns = rowGroup(g, rows, shape.cols);
    await writer.write({
      columnData: columnNames.map((name, j) => ({
        name,
        data: columns[j],
        type: 'DOUBLE',
        nullable: false,
      })),
      rowGroupSize: rows,
    });
  }
  await writer.finish();
  renameSync(temp, file);
}

/** The same rows as an Arrow IPC file, one record batch per row group. */
async function generateArrow(file, shape) {
  if (existsSync(file)) return;
  const arrow = await importFrom(ioRequire, 'apache-arrow');
  const columnNames = namesFor(shape.cols);
  const temp = `${file}.tmp`;
  const batches = [];
  for (let g = 0; g < shape.groups; g++) {
    const columns = rowGroup(g, groupRows(g, shape.rows, shape.groups), shape.cols);
    batches.push(
      new arrow.RecordBatch(
        Object.fromEntries(
          columnNames.map((n, j) => [
            n,
            arrow.makeData({ type: new arrow.Float64(), data: columns[j] }),
          ]),
        ),
      ),
    );
  }
  writeFileSync(temp, arrow.tableToIPC(new arrow.Table(batches), 'file'));
  renameSync(temp, file);
}

async function generate(parquetFile, arrowFile) {
  const shape = { rows: ROWS, cols: COLS, groups: GROUPS };
  await generateParquet(parquetFile, shape);
  if (!SKIP.has('arrow')) await generateArrow(arrowFile, shape);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

/**
 * Median wall time of REPS runs, and the median CPU time (user + system, all
 * threads of this process: piscina workers and DuckDB's threads included), so
 * a loaded machine shows up as wall ≫ CPU instead of as a slow engine.
 */
async function time(fn) {
  const seconds = [];
  const cpu = [];
  let info;
  for (let r = 0; r < REPS; r++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    info = await fn();
    seconds.push((performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { seconds: median(seconds), cpuSeconds: median(cpu), all: seconds, info };
}

async function linreg(file, solver, workers, pool) {
  const result = await core.fit(
    { inputs: [file], target: 'y', solver, refine: 'off', workers },
    pool === undefined ? {} : { pool },
  );
  const b = result.model.coefficients;
  return `β₁=${b[1].estimate.toFixed(6)} β_p=${b[b.length - 1].estimate.toFixed(6)} units=${result.stats.units}`;
}

async function duckdb(file) {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const connection = await instance.connect();
  const terms = ['count(*)'];
  const cols = names;
  for (let i = 0; i < cols.length; i++) {
    for (let j = i; j < cols.length; j++) terms.push(`sum(${cols[i]} * ${cols[j]})`);
    terms.push(`sum(${cols[i]})`);
  }
  const sql = `SELECT ${terms.join(', ')} FROM read_parquet('${file.replaceAll("'", "''")}')`;
  return async () => {
    const reader = await connection.runAndReadAll(sql);
    const row = reader.getRows()[0];
    return `n=${row[0]} terms=${row.length}`;
  };
}

function numpy() {
  const script = `
import time, numpy as np
rng = np.random.default_rng(1)
X = rng.uniform(-1, 1, size=(${ROWS}, ${COLS + 2}))
walls, cpus = [], []
for _ in range(${REPS}):
    t0, c0 = time.perf_counter(), time.process_time()
    G = X.T @ X
    walls.append(time.perf_counter() - t0); cpus.append(time.process_time() - c0)
walls.sort(); cpus.sort(); mid = (len(walls) - 1) // 2
print(walls[mid], cpus[mid], np.__version__)
`;
  const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  const [seconds, cpu, version] = run.stdout.trim().split(/\s+/);
  return {
    seconds: Number(seconds),
    cpuSeconds: Number(cpu),
    info: `numpy ${version}, in memory, no I/O`,
  };
}

const tag = `${ROWS}x${COLS}-g${GROUPS}`;
const parquetFile = join(here, 'data', `e2e-${tag}.parquet`);
const arrowFile = join(here, 'data', `e2e-${tag}.arrow`);
const tGen = performance.now();
await generate(parquetFile, arrowFile);
const genSeconds = (performance.now() - tGen) / 1000;
const mb = (f) => statSync(f).size / 1e6;
process.stdout.write(
  `data: ${ROWS} rows x ${COLS} features + y, ${GROUPS} row groups; parquet ${mb(parquetFile).toFixed(0)} MB` +
    (existsSync(arrowFile) ? `, arrow ${mb(arrowFile).toFixed(0)} MB` : '') +
    ` (ready in ${genSeconds.toFixed(1)} s); median of ${REPS}\n`,
);

const rows = [];
const add = (name, r, bytes) => {
  rows.push({
    name,
    seconds: r.seconds,
    cpuSeconds: r.cpuSeconds,
    rowsPerSecond: ROWS / r.seconds,
    mbPerSecond: bytes / 1e6 / r.seconds,
    info: r.info,
  });
  process.stdout.write(`  ${name}: ${r.seconds.toFixed(3)} s\n`);
};
const pBytes = statSync(parquetFile).size;
for (const w of WORKERS)
  add(`linreg parquet qr --workers ${w}`, await time(() => linreg(parquetFile, 'qr', w)), pBytes);
if (!SKIP.has('normal')) {
  const w = Math.max(...WORKERS);
  add(
    `linreg parquet normal --workers ${w}`,
    await time(() => linreg(parquetFile, 'normal', w)),
    pBytes,
  );
}
if (!SKIP.has('shared')) {
  // Like DuckDB's instance below, created once outside the timings; the first run waits for its threads.
  const w = Math.max(...WORKERS);
  const pool = core.createPool({ workers: w });
  add(
    `linreg parquet qr --workers ${w}, shared pool`,
    await time(() => linreg(parquetFile, 'qr', w, pool)),
    pBytes,
  );
  await pool.destroy();
}
if (!SKIP.has('arrow') && existsSync(arrowFile)) {
  const w = Math.max(...WORKERS);
  add(
    `linreg arrow qr --workers ${w}`,
    await time(() => linreg(arrowFile, 'qr', w)),
    statSync(arrowFile).size,
  );
}
if (!SKIP.has('duckdb')) {
  const query = await duckdb(parquetFile);
  add('duckdb Σ-products SQL (threads 2)', await time(query), pBytes);
}
if (!SKIP.has('numpy')) {
  const r = numpy();
  if (r === undefined) process.stdout.write('  numpy: python3 with numpy not available, skipped\n');
  else add('numpy X.T @ X (in memory)', r, 0);
}

const pad = (s, n) => String(s).padEnd(n);
process.stdout.write(
  `\n${pad('case', 44)} ${pad('wall s', 8)} ${pad('cpu s', 7)} ${pad('Mrows/s', 8)} ${pad('MB/s', 6)} info\n`,
);
for (const r of rows) {
  process.stdout.write(
    `${pad(r.name, 44)} ${pad(r.seconds.toFixed(3), 8)} ${pad(Number.isFinite(r.cpuSeconds) ? r.cpuSeconds.toFixed(2) : '-', 7)} ${pad((r.rowsPerSecond / 1e6).toFixed(2), 8)} ${pad(r.mbPerSecond > 0 ? r.mbPerSecond.toFixed(0) : '-', 6)} ${r.info}\n`,
  );
}
const duck = rows.find((r) => r.name.startsWith('duckdb'));
if (duck !== undefined) {
  const ratios = rows
    .filter((r) => r.name.startsWith('linreg'))
    .map((r) => `${r.name.replace('linreg ', '')} ${(r.seconds / duck.seconds).toFixed(3)}×`);
  process.stdout.write(`\nwall time / DuckDB's: ${ratios.join(' · ')}\n`);
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', `end-to-end-${tag}.json`),
  `${JSON.stringify({ rows: ROWS, cols: COLS, groups: GROUPS, reps: REPS, results: rows }, null, 2)}\n`,
);

/**
 * Peak RSS of a whole `fit` process (main thread + workers, process.resourceUsage().maxRSS)
 * at 1M and 10M rows of the same width and row-group size: memory must not grow with rows.
 * Off by default (10M rows is a large file); BENCH_RSS=1 to run, BENCH_RSS_COLS (10) for the width.
 */
if (process.env.BENCH_RSS === '1') {
  const cols = Number(env('BENCH_RSS_COLS', '10'));
  const groupSize = 62_500;
  const results = [];
  for (const rows of [1_000_000, 10_000_000]) {
    const shape = { rows, cols, groups: rows / groupSize };
    const file = join(here, 'data', `rss-${rows}x${cols}.parquet`);
    await generateParquet(file, shape);
    const script = `
      const core = await import(${JSON.stringify(pathToFileURL(join(root, 'packages/core/dist/index.js')).href)});
      const t0 = performance.now();
      await core.fit({ inputs: [${JSON.stringify(file)}], target: 'y', refine: 'off', workers: 2 });
      console.log(JSON.stringify({ maxRssMB: process.resourceUsage().maxRSS / 1024, seconds: (performance.now() - t0) / 1000 }));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`rss child failed: ${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop());
    results.push({ rows, ...r });
    process.stdout.write(
      `peak RSS, ${rows} rows x ${cols}: ${r.maxRssMB.toFixed(0)} MB (${r.seconds.toFixed(1)} s)\n`,
    );
  }
  process.stdout.write(
    `peak RSS ratio 10M / 1M: ${(results[1].maxRssMB / results[0].maxRssMB).toFixed(2)}\n`,
  );
}

if (process.env.BENCH_CLEAN === '1') rmSync(join(here, 'data'), { recursive: true, force: true });
