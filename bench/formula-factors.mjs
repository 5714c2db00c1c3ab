#!/usr/bin/env node
/**
 * Factor designs (issue "Tables, not matrices"): 1M rows × 20 numeric
 * columns + a 200-level factor + a 50-level factor (string columns in
 * Parquet, dictionary-encoded as DuckDB writes them) against the same rows
 * with the 20 numeric columns only, side by side in one run (2 workers,
 * refinement off unless said):
 *
 *   numeric qr / normal          y ~ x1 + … + x20                      (p = 21)
 *   factors normal (sparse)      y ~ x1 + … + x20 + store + region      (p = 270, one-hot blocks added sparsely)
 *   factors normal, refine auto  the same with the default refinement
 *   factors, defaults (auto)     solver and refinement left at their defaults (auto picks normal here)
 *   factors qr (dense)           the same through TSQR (dense rows)
 *
 * Each case runs BENCH_REPS times, cases interleaved; the median wall time
 * and its ratio to `numeric qr` are printed. The levels pass (factor
 * discovery) is part of every factor fit's time.
 *
 * Environment: BENCH_ROWS (1000000), BENCH_REPS (3), BENCH_SKIP (comma list of case names).
 * Requires `pnpm run build`; data are generated once into bench/data/ (gitignored).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { median } from './lib/timing.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const ROWS = Number(process.env.BENCH_ROWS ?? '1000000');
const REPS = Math.max(1, Number(process.env.BENCH_REPS ?? '3'));
const SKIP = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const core = await import(pathToFileURL(join(root, 'packages/core/dist/index.js')).href);

const dataDir = join(here, 'data');
const file = join(dataDir, `factors-${ROWS}.parquet`);
if (!existsSync(file)) {
  mkdirSync(dataDir, { recursive: true });
  const require = createRequire(join(root, 'package.json'));
  const { DuckDBInstance } = await import(pathToFileURL(require.resolve('@duckdb/node-api')).href);
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const xs = Array.from(
    { length: 20 },
    (_, j) => `(hash(i * 31 + ${j}) % 1000000) / 1000000.0 - 0.5 AS x${j + 1}`,
  ).join(', ');
  await c.run(
    `COPY (SELECT ${xs}, 's' || (hash(i * 7) % 200)::VARCHAR AS store,
       'r' || (hash(i * 13) % 50)::VARCHAR AS region,
       (hash(i * 101) % 1000000) / 1000000.0 AS y FROM range(${ROWS}) t(i))
     TO '${file}' (FORMAT parquet, ROW_GROUP_SIZE 131072)`,
  );
  process.stdout.write(`wrote ${file}\n`);
}

const numeric = `y ~ ${Array.from({ length: 20 }, (_, j) => `x${j + 1}`).join(' + ')}`;
const factors = `${numeric} + store + region`;
const CASES = [
  { name: 'numeric qr', formula: numeric, solver: 'qr', refine: 'off' },
  { name: 'numeric normal', formula: numeric, solver: 'normal', refine: 'off' },
  { name: 'factors normal (sparse)', formula: factors, solver: 'normal', refine: 'off' },
  { name: 'factors normal, refine auto', formula: factors, solver: 'normal', refine: 'auto' },
  { name: 'factors, defaults (auto)', formula: factors, solver: 'auto', refine: 'auto' },
  { name: 'factors qr (dense)', formula: factors, solver: 'qr', refine: 'off' },
].filter((c) => !SKIP.has(c.name));

const pool = core.createPool({ workers: 2 });
const times = new Map(CASES.map((c) => [c.name, []]));
const passes = new Map();
try {
  for (let rep = 0; rep < REPS; rep++) {
    for (const c of CASES) {
      const started = performance.now();
      const result = await core.fit(
        { inputs: [file], formula: c.formula, solver: c.solver, refine: c.refine, workers: 2 },
        { pool },
      );
      times.get(c.name).push((performance.now() - started) / 1000);
      passes.set(c.name, `${result.stats.passes} passes, p = ${result.model.features.length}`);
    }
  }
} finally {
  await pool.destroy();
}
const base = median(times.get('numeric qr') ?? [Number.NaN]);
process.stdout.write(`\n${ROWS} rows, 2 workers, median of ${REPS} (wall seconds)\n`);
for (const c of CASES) {
  const t = median(times.get(c.name));
  process.stdout.write(
    `${c.name.padEnd(30)} ${t.toFixed(2).padStart(6)} s  ${(t / base).toFixed(2).padStart(5)}×  (${passes.get(c.name)})\n`,
  );
}
