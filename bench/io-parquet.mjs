#!/usr/bin/env node
/**
 * Parquet read throughput: linreg's fast path against hyparquet's general
 * reader, parquetjs-lite and DuckDB's native scan, on one snappy file of
 * float64 columns (nullable, as DuckDB writes them; every 10th column has
 * about 0.1% nulls), generated once with DuckDB and cached under bench/data/.
 * Then the peak RSS of a child process that reads the whole file with small
 * batches, to show memory stays bounded by row group + batch, not file size.
 *
 * Env (defaults give the 1M x 101 target; use e.g. PQ_ROWS=200000 for a quick run):
 *   PQ_ROWS=1000000  PQ_COLS=101  PQ_ROW_GROUP=122880  PQ_RUNS=3  PQ_BATCH=65536
 *   PQ_HYPARQUET_COLS=10  PQ_PARQUETJS_COLS=10  PQ_PARQUETJS_RUNS=1
 * hyparquet and parquetjs-lite read a subset (columns; the first row group for
 * parquetjs-lite, which decodes whole row groups) because they are 10-1000x slower;
 * their rates are per value actually read.
 * Needs `npx tsc -b packages/io` first (imports packages/io/dist).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const env = (name, fallback) => Number(process.env[name] ?? fallback);
const ROWS = env('PQ_ROWS', 1_000_000);
const COLS = env('PQ_COLS', 101);
const ROW_GROUP = env('PQ_ROW_GROUP', 122_880);
const RUNS = env('PQ_RUNS', 3);
const BATCH = env('PQ_BATCH', 65_536);
const HYP_COLS = Math.min(COLS, env('PQ_HYPARQUET_COLS', 10));
// parquetjs-lite decodes a whole row group at a time, so it reads exactly the first one.
const PJS_ROWS = Math.min(ROWS, ROW_GROUP);
const PJS_RUNS = env('PQ_PARQUETJS_RUNS', 1);
const PJS_COLS = Math.min(COLS, env('PQ_PARQUETJS_COLS', 10));

const { parquetFormat } = await import(
  pathToFileURL(join(root, 'packages/io/dist/parquet/index.js')).href
);
const names = Array.from({ length: COLS }, (_, j) => `c${j}`);
const file = join(here, 'data', `parquet-${ROWS}x${COLS}-rg${ROW_GROUP}-snappy.parquet`);

if (process.argv[2] === '--rss-child') {
  await rssChild(Number(process.argv[3]));
  process.exit(0);
}

await generate();
const values = ROWS * COLS;
const sizeMb = statSync(file).size / 2 ** 20;
console.log(
  `file: ${file} (${sizeMb.toFixed(1)} MiB, ${ROWS} rows x ${COLS} float64 columns, row groups of ${ROW_GROUP})`,
);
console.log(
  `median of ${RUNS} timed runs after one untimed warm-up run, single process; "values" = rows x columns read\n`,
);

const results = [];
results.push(await measure(`linreg fast path (1 core, batch ${BATCH})`, values, readOurs));
results.push(
  await measure(
    `hyparquet parquetRead (${HYP_COLS} of ${COLS} cols)`,
    ROWS * HYP_COLS,
    readHyparquet,
  ),
);
results.push(
  await measure(
    `parquetjs-lite (row group 0: ${PJS_ROWS} rows x ${PJS_COLS} cols)`,
    PJS_ROWS * PJS_COLS,
    readParquetjs,
    PJS_RUNS,
  ),
);
for (const threads of [1, 2])
  results.push(await measure(`DuckDB scan, threads=${threads}`, values, () => readDuckdb(threads)));

const width = Math.max(...results.map((r) => r.name.length));
console.log(
  `${'reader'.padEnd(width)}  runs  wall s (median)  M values/s wall  M values/s per CPU-s`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(width)}  ${String(r.runs).padStart(4)}  ${r.seconds.toFixed(3).padStart(15)}  ` +
      `${(r.values / r.seconds / 1e6).toFixed(1).padStart(15)}  ${(r.values / r.cpu / 1e6).toFixed(1).padStart(20)}`,
  );
}
console.log(
  '(CPU-s = user + system time of this process over all its threads: comparable across readers when the machine is shared)',
);

const small = Math.max(1024, Math.floor(BATCH / 16));
const child = spawnSync(
  process.execPath,
  [fileURLToPath(import.meta.url), '--rss-child', String(small)],
  {
    env: process.env,
    encoding: 'utf8',
  },
);
if (child.status !== 0) throw new Error(`RSS child failed: ${child.stderr}`);
console.log(`\n${child.stdout.trim()}`);

async function measure(name, count, fn, runs = RUNS, warmup = runs > 1) {
  // One untimed run first, so JIT compilation and page cache warm-up count for no reader.
  if (warmup) await fn();
  const walls = [];
  const cpus = [];
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    await fn();
    const c = process.cpuUsage(c0);
    walls.push((performance.now() - t0) / 1000);
    cpus.push((c.user + c.system) / 1e6);
  }
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  return { name, values: count, seconds: median(walls), cpu: median(cpus), runs };
}

async function generate() {
  if (existsSync(file)) return;
  mkdirSync(dirname(file), { recursive: true });
  const cols = names.map((n, j) => {
    // A deterministic hash in [-1, 1) per cell; every 10th column ~0.1% null.
    const value = `(hash(i * ${COLS} + ${j}) % 2000000)::DOUBLE / 1000000.0 - 1.0`;
    return j % 10 === 5
      ? `CASE WHEN hash(i + ${j}) % 1000 = 0 THEN NULL ELSE ${value} END AS ${n}`
      : `${value} AS ${n}`;
  });
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const con = await db.connect();
  const tmp = `${file}.tmp`;
  await con.run(
    `COPY (SELECT ${cols.join(', ')} FROM range(${ROWS}) t(i)) TO '${tmp}' (FORMAT parquet, COMPRESSION snappy, ROW_GROUP_SIZE ${ROW_GROUP})`,
  );
  con.closeSync();
  db.closeSync();
  renameSync(tmp, file);
}

async function readOurs(batchRows = BATCH, onUnit) {
  const shard = await parquetFormat.describe(file);
  let sink = 0;
  let rows = 0;
  for (const [index, u] of shard.units.entries()) {
    for await (const batch of parquetFormat.read({ ...u, index }, names, { batchRows })) {
      sink += batch.columns[0][0] + batch.columns[COLS - 1][batch.rows - 1];
      rows += batch.rows;
    }
    onUnit?.();
  }
  if (rows !== ROWS || Number.isNaN(sink)) throw new Error(`read ${rows} rows`);
}

async function readHyparquet() {
  const hyparquet = await import(
    pathToFileURL(join(root, 'packages/io/node_modules/hyparquet/src/node.js')).href
  );
  const { compressors } = await import(
    pathToFileURL(join(root, 'packages/io/node_modules/hyparquet-compressors/src/index.js')).href
  );
  const buffer = await hyparquet.asyncBufferFromFile(file);
  let rows = 0;
  await hyparquet.parquetRead({
    file: buffer,
    columns: names.slice(0, HYP_COLS),
    compressors,
    onChunk: (chunk) => {
      if (chunk.columnName === 'c0') rows += chunk.columnData.length;
    },
  });
  if (rows !== ROWS) throw new Error(`hyparquet read ${rows} rows`);
}

async function readParquetjs() {
  const require = createRequire(import.meta.url);
  const parquet = require('parquetjs-lite');
  const reader = await parquet.ParquetReader.openFile(file);
  const cursor = reader.getCursor(names.slice(0, PJS_COLS));
  let rows = 0;
  while (rows < PJS_ROWS && (await cursor.next()) !== null) rows++;
  await reader.close();
  if (rows !== PJS_ROWS) throw new Error(`parquetjs-lite read ${rows} rows`);
}

async function readDuckdb(threads) {
  const db = await DuckDBInstance.create(':memory:', { threads: String(threads) });
  const con = await db.connect();
  const sums = names.map((n) => `sum(${n})`).join(' + ');
  const result = await con.runAndReadAll(`SELECT ${sums} FROM read_parquet('${file}')`);
  if (result.getRows().length !== 1) throw new Error('duckdb');
  con.closeSync();
  db.closeSync();
}

async function rssChild(batchRows) {
  const baseline = process.memoryUsage().rss;
  let minRss = Number.POSITIVE_INFINITY;
  let maxRss = 0;
  let units = 0;
  await readOurs(batchRows, () => {
    const rss = process.memoryUsage().rss;
    minRss = Math.min(minRss, rss);
    maxRss = Math.max(maxRss, rss);
    units++;
  });
  const mib = (b) => (b / 2 ** 20).toFixed(0);
  const decoded = ROWS * COLS * 8;
  console.log(
    `peak RSS reading the whole file with batches of ${batchRows} rows: ${mib(process.resourceUsage().maxRSS * 1024)} MiB ` +
      `(baseline ${mib(baseline)} MiB; RSS after each of ${units} row groups: ${mib(minRss)}-${mib(maxRss)} MiB; ` +
      `file ${mib(statSync(file).size)} MiB, decoded data ${mib(decoded)} MiB)`,
  );
}
