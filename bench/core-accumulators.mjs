// Update throughput of the `normal` and `qr` accumulators on one in-memory
// batch, next to two plain JS Gram loops as reference points, in one run.
//
//   npx tsc -b packages/core && node bench/core-accumulators.mjs [--rows 100000] [--p 100] [--runs 5]
//
// Flop counts (k = p + 2 columns of [1 X y]): the Gram route does n·k²/2
// multiply-adds, counted as n·k² flops; Householder QR does twice that,
// counted as 2·n·k² flops. Both figures are per core (single thread).
// Each line is the median of --runs timed runs after one warm-up run.

import { parseArgs } from 'node:util';
import {
  createAccumulator,
  updateAccumulator,
} from '../packages/core/dist/numerics/accumulator.js';

const { values } = parseArgs({
  options: {
    rows: { type: 'string', default: '100000' },
    p: { type: 'string', default: '100' },
    runs: { type: 'string', default: '5' },
  },
});
const n = Number(values.rows);
const p = Number(values.p);
const runs = Math.max(3, Number(values.runs));
const k = p + 2;

// Seeded data (xorshift32), so every run times the same numbers.
let s = 0x9e3779b9;
function rand() {
  s ^= s << 13;
  s >>>= 0;
  s ^= s >>> 17;
  s ^= s << 5;
  s >>>= 0;
  return s / 4294967296 - 0.5;
}
const x = Array.from({ length: p }, () => Float64Array.from({ length: n }, rand));
const y = Float64Array.from({ length: n }, rand);
const batch = { rows: n, x, y };

// Column-major [1 X y] for the reference loops (built once, outside the timing).
const a = new Float64Array(n * k);
a.fill(1, 0, n);
for (let c = 0; c < p; c++) a.set(x[c], (c + 1) * n);
a.set(y, (k - 1) * n);

/** Naive Gram: one dot product per upper-triangle entry. */
function naiveGram() {
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = i; j < k; j++) {
      let t = 0;
      const pi = i * n;
      const pj = j * n;
      for (let r = 0; r < n; r++) t += a[pi + r] * a[pj + r];
      g[i * k + j] = t;
    }
  }
  return g;
}

/** 2x2 register-blocked Gram (computes the upper 2x2 blocks, a few extra entries). */
function blockedGram() {
  const g = new Float64Array(k * k);
  for (let i = 0; i < k; i += 2) {
    const i1 = Math.min(i + 1, k - 1);
    for (let j = i; j < k; j += 2) {
      const j1 = Math.min(j + 1, k - 1);
      const p0 = i * n;
      const p1 = i1 * n;
      const q0 = j * n;
      const q1 = j1 * n;
      let s00 = 0;
      let s01 = 0;
      let s10 = 0;
      let s11 = 0;
      for (let r = 0; r < n; r++) {
        const u0 = a[p0 + r];
        const u1 = a[p1 + r];
        const v0 = a[q0 + r];
        const v1 = a[q1 + r];
        s00 += u0 * v0;
        s01 += u0 * v1;
        s10 += u1 * v0;
        s11 += u1 * v1;
      }
      g[i * k + j] = s00;
      g[i * k + j1] = s01;
      g[i1 * k + j] = s10;
      g[i1 * k + j1] = s11;
    }
  }
  return g;
}

function accumulate(kind) {
  return () => {
    const st = createAccumulator({ kind, p, intercept: true, weighted: false });
    updateAccumulator(st, batch);
    return st;
  };
}

function median(xs) {
  const v = [...xs].sort((u, w) => u - w);
  return v[Math.floor(v.length / 2)];
}

const gramFlops = n * k * k;
const cases = [
  ['normal (co-moments, 4x2 kernel)', accumulate('normal'), gramFlops, 'n·k²'],
  ['qr (Householder TSQR, compact WY)', accumulate('qr'), 2 * gramFlops, '2·n·k²'],
  ['naive JS Gram loop', naiveGram, gramFlops, 'n·k²'],
  ['2x2-blocked JS Gram loop', blockedGram, gramFlops, 'n·k²'],
];

const results = [];
for (const [name, fn, flops, count] of cases) {
  fn(); // warm-up (JIT)
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    times.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  const t = median(times);
  results.push({ name, seconds: t, gflops: flops / t / 1e9, count });
}

const base = results[0].gflops;
console.log(`accumulator update, ${n} x ${p} (+ intercept, y; k = ${k}), median of ${runs} runs, 1 thread`);
console.log(
  `${'case'.padEnd(36)}${'seconds'.padStart(9)}${'GFLOP/s'.padStart(9)}${'vs normal'.padStart(11)}  flops counted`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(36)}${r.seconds.toFixed(3).padStart(9)}${r.gflops.toFixed(2).padStart(9)}${(r.gflops / base).toFixed(2).padStart(11)}  ${r.count}`,
  );
}
