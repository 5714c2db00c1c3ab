#!/usr/bin/env node
/**
 * Run every benchmark in bench/ (each *.mjs except this file), one after the
 * other, in name order, each in its own node process so one's memory and JIT
 * state cannot skew the next. Environment variables pass through (e.g.
 * BENCH_ROWS=100000 for a quick run). Exits non-zero if any benchmark fails.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
const benches = readdirSync(here)
  .filter((f) => f.endsWith('.mjs') && f !== self)
  .sort();

let failed = 0;
for (const bench of benches) {
  process.stdout.write(`\n=== ${bench} ===\n`);
  const started = performance.now();
  const run = spawnSync(process.execPath, [join(here, bench)], {
    stdio: 'inherit',
    env: process.env,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (run.status !== 0) {
    failed += 1;
    process.stdout.write(
      `=== ${bench} FAILED (exit ${run.status ?? run.signal}) after ${seconds} s ===\n`,
    );
  } else {
    process.stdout.write(`=== ${bench} done in ${seconds} s ===\n`);
  }
}
process.exitCode = failed === 0 ? 0 : 1;
