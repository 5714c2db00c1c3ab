#!/usr/bin/env node
/**
 * End-to-end benchmark: fit OLS on a rows x cols (+ target) snappy Parquet
 * file with `groups` row groups, side by side with the same normal-equation
 * sums in DuckDB and numpy's in-memory X.T @ X.
 *
 * Cases (median of BENCH_REPS runs each):
 *   linreg parquet, qr,     --workers 1 and 2      (library `fit`, same code path as the CLI)
 *   linreg parquet, normal, --workers 2
 *   linreg arrow,   qr,     --workers 2           (the same data as an Arrow IPC file)
 *   duckdb: SELECT count(*), Σ xᵢxⱼ (i ≤ j), Σ xᵢy, Σ y² FROM read_parquet(file)  (threads = 2)
 *   numpy:  X.T @ X on an in-memory float64 array of the same shape (compute only, no I/O)
 *
 * Data are generated once (seeded) and cached in bench/data/ (gitignored).
 *
 * Environment:
 *   BENCH_ROWS (1000000)  BENCH_COLS (100)  BENCH_GROUPS (16)  BENCH_REPS (3)
 *   BENCH_WORKERS ("1,2")  BENCH_SKIP (comma list of: arrow, normal, duckdb, numpy)
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

const names = [...Array.from({ length: COLS }, (_, j) => `x${j + 1}`), 'y'];

/** Row group g of the data set: x ~ U(-1, 1), y = 1 + Σ (j+1)/p · x_j + U(-0.5, 0.5). */
function rowGroup(g, rows) {
  const rand = mulberry32(0x5eed + g);
  const cols = names.map(() => new Float64Array(rows));
  const y = cols[COLS];
  y.fill(1);
  for (let j = 0; j < COLS; j++) {
    const x = cols[j];
    const beta = (j + 1) / COLS;
    for (let i = 0; i < rows; i++) {
      const v = 2 * rand() - 1;
      x[i] = v;
      y[i] += beta * v;
    }
  }
  for (let i = 0; i < rows; i++) y[i] += rand() - 0.5;
  return cols;
}

const groupRows = (g) => Math.floor((ROWS * (g + 1)) / GROUPS) - Math.floor((ROWS * g) / GROUPS);

async function generate(parquetFile, arrowFile) {
  mkdirSync(dirname(parquetFile), { recursive: true });
  if (!existsSync(parquetFile)) {
    const { ParquetWriter, fileWriter } = await importFrom(ioRequire, 'hyparquet-writer');
    const temp = `${parquetFile}.tmp`;
    const writer = new ParquetWriter({
      writer: fileWriter(temp),
      schema: [
        { name: 'root', num_children: names.length },
        ...names.map((name) => ({ name, type: 'DOUBLE', repetition_type: 'REQUIRED' })),
      ],
      codec: 'SNAPPY',
      statistics: false,
    });
    for (let g = 0; g < GROUPS; g++) {
      const rows = groupRows(g);
      const cols = rowGroup(g, rows);
      await writer.write({
        columnData: names.map((name, j) => ({ name, data: cols[j], type: 'DOUBLE', nullable: false })),
        rowGroupSize: rows,
      });
    }
    await writer.finish();
    renameSync(temp, parquetFile);
  }
  if (!existsSync(arrowFile) && !SKIP.has('arrow')) {
    const arrow = await importFrom(ioRequire, 'apache-arrow');
    const temp = `${arrowFile}.tmp`;
    const batches = [];
    for (let g = 0; g < GROUPS; g++) {
      const cols = rowGroup(g, groupRows(g));
      batches.push(new arrow.RecordBatch(Object.fromEntries(names.map((n, j) => [n, arrow.makeData({ type: new arrow.Float64(), data: cols[j] })]))));
    }
    writeFileSync(temp, arrow.tableToIPC(new arrow.Table(batches), 'file'));
    renameSync(temp, arrowFile);
  }
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
};

async function time(fn) {
  const seconds = [];
  let info;
  for (let r = 0; r < REPS; r++) {
    const t0 = performance.now();
    info = await fn();
    seconds.push((performance.now() - t0) / 1000);
  }
  return { seconds: median(seconds), all: seconds, info };
}

async function linreg(file, solver, workers) {
  const result = await core.fit({ inputs: [file], target: 'y', solver, refine: 'off' }, { workers });
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
ts = []
for _ in range(${REPS}):
    t0 = time.perf_counter(); G = X.T @ X; ts.append(time.perf_counter() - t0)
ts.sort(); print(ts[(len(ts) - 1) // 2], np.__version__)
`;
  const run = spawnSync('python3', ['-c', script], { encoding: 'utf8' });
  if (run.status !== 0) return undefined;
  const [seconds, version] = run.stdout.trim().split(/\s+/);
  return { seconds: Number(seconds), info: `numpy ${version}, in memory, no I/O` };
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
  rows.push({ name, seconds: r.seconds, rowsPerSecond: ROWS / r.seconds, mbPerSecond: bytes / 1e6 / r.seconds, info: r.info });
  process.stdout.write(`  ${name}: ${r.seconds.toFixed(3)} s\n`);
};
const pBytes = statSync(parquetFile).size;
for (const w of WORKERS) add(`linreg parquet qr --workers ${w}`, await time(() => linreg(parquetFile, 'qr', w)), pBytes);
if (!SKIP.has('normal')) {
  const w = Math.max(...WORKERS);
  add(`linreg parquet normal --workers ${w}`, await time(() => linreg(parquetFile, 'normal', w)), pBytes);
}
if (!SKIP.has('arrow') && existsSync(arrowFile)) {
  const w = Math.max(...WORKERS);
  add(`linreg arrow qr --workers ${w}`, await time(() => linreg(arrowFile, 'qr', w)), statSync(arrowFile).size);
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
process.stdout.write(`\n${pad('case', 40)} ${pad('median s', 9)} ${pad('Mrows/s', 8)} ${pad('MB/s', 7)} info\n`);
for (const r of rows) {
  process.stdout.write(
    `${pad(r.name, 40)} ${pad(r.seconds.toFixed(3), 9)} ${pad((r.rowsPerSecond / 1e6).toFixed(2), 8)} ${pad(r.mbPerSecond > 0 ? r.mbPerSecond.toFixed(0) : '-', 7)} ${r.info}\n`,
  );
}
mkdirSync(join(here, 'results'), { recursive: true });
writeFileSync(
  join(here, 'results', `end-to-end-${tag}.json`),
  `${JSON.stringify({ rows: ROWS, cols: COLS, groups: GROUPS, reps: REPS, results: rows }, null, 2)}\n`,
);
if (process.env.BENCH_CLEAN === '1') rmSync(join(here, 'data'), { recursive: true, force: true });
