// What a worker does in the exact fit's accumulate pass, in one thread with
// no pool: every unit of a Parquet file through the `accumulate` task (read,
// decode, missing-value policy, accumulator), one pass after another, timed
// by this process's CPU seconds — which, unlike the wall clock, a loaded
// machine barely changes. The first pass includes the warm-up each worker pays.
//
//   npx -y pnpm@12.4.2 run build && node bench/accumulate-pass.mjs \
//     [--file F] [--solver normal|qr] [--passes 3] [--dist packages/core/dist]
//
// --dist may name another build's packages/core/dist (a copy of an older
// build, with its node_modules) to compare two builds side by side.
// The file defaults to bench/data/e2e-1000000x100-g16.parquet (y on x1 … x100).

import { resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    file: { type: 'string', default: 'bench/data/e2e-1000000x100-g16.parquet' },
    solver: { type: 'string', default: 'normal' },
    passes: { type: 'string', default: '3' },
    dist: { type: 'string', default: 'packages/core/dist' },
  },
});
const dist = resolve(values.dist);
const { openFileSource } = await import(`${dist}/engine/source/file-source.js`);
const source = await openFileSource([values.file], { workers: 0, inThread: true });
const features = Array.from({ length: 100 }, (_, i) => `x${i + 1}`);
const args = {
  read: { columns: { features, target: 'y' }, missing: 'drop' },
  spec: { kind: values.solver, p: features.length, intercept: true, weighted: false },
};
const seconds = [];
for (let pass = 0; pass < Number(values.passes); pass++) {
  const before = process.cpuUsage();
  let rows = 0;
  for (const unit of source.units) {
    const message = { kind: 'accumulate', unit, batchRows: 65536, args };
    const reply = await source.execute(message, new AbortController().signal);
    if (!reply.ok) throw new Error(`unit ${unit.label}: ${reply.error.message}`);
    rows += reply.counts.rowsUsed;
  }
  const used = process.cpuUsage(before);
  seconds.push(((used.user + used.system) / 1e6).toFixed(3));
  if (pass === 0)
    console.log(`${source.units.length} units, ${rows} rows, solver ${values.solver}`);
}
console.log(`CPU s per pass: ${seconds.join(' ')}`);
await source.close?.();
