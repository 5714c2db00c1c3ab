#!/usr/bin/env node
/**
 * How long the Parquet fast path takes to read every unit of a file, all
 * columns, as a fit's worker reads them (one thread, ReadOptions.reuseBatches,
 * batches of 65,536 rows), with nothing else done per batch: the reader's own
 * cost (file reads, snappy, page decoding) without the kernels. Prints wall
 * and CPU ms of each pass over the file (the first pass pays module loading,
 * instantiation and the first allocations) and, on builds that have it, the
 * size of the snappy decoder's buffer arena after the read.
 *
 * Side by side with an older build: IO_DIST=/copy/of/packages/io/dist runs
 * that one instead of this checkout's packages/io/dist; alternate the two.
 *
 *   node bench/io-parquet-units.mjs [FILE] [PASSES]
 *   (default: bench/data/e2e-1000000x100-g16.parquet, made by end-to-end.mjs; 4 passes)
 * Needs `npx tsc -b packages/io` first (imports packages/io/dist).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const dist = process.env.IO_DIST ?? join(here, '..', 'packages/io/dist');
const file = process.argv[2] ?? join(here, 'data', 'e2e-1000000x100-g16.parquet');
const passes = Number(process.argv[3] ?? 4);
const load = (path) => import(pathToFileURL(join(dist, path)).href);

const { parquetFormat } = await load('parquet/index.js');
const shard = await parquetFormat.describe(file);
const columns = shard.columns.map((c) => c.name);
const times = [];
let sink = 0;
for (let pass = 0; pass < passes; pass++) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  for (const [index, u] of shard.units.entries()) {
    const unit = { ...u, index };
    for await (const batch of parquetFormat.read(unit, columns, {
      batchRows: 65_536,
      reuseBatches: true,
    })) {
      sink += batch.columns[0][batch.rows - 1];
    }
  }
  const c = process.cpuUsage(c0);
  times.push(`${(performance.now() - t0).toFixed(0)}/${((c.user + c.system) / 1000).toFixed(0)}`);
}
let arena = '';
try {
  const { arenaStats } = await load('parquet/fast-path/wasm-arena.js');
  arena = ` arena ${(arenaStats().size / 2 ** 20).toFixed(1)} MiB`;
} catch {
  // An older build without the arena.
}
console.log(
  `${shard.units.length} units x ${columns.length} columns, wall/cpu ms per pass: ${times.join(' ')}${arena} (${Number.isFinite(sink) ? 'ok' : 'NaN'})`,
);
