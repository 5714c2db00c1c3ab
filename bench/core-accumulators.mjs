// Update throughput of the `normal` and `qr` accumulators on one in-memory
// batch, next to two plain JS Gram loops as reference points, in one run.
//
//   npx tsc -b packages/core && node bench/core-accumulators.mjs [--rows 100000] [--p 100] [--runs 5]
//
// Flop counts (k = p + 2 columns of [1 X y]): the Gram route does n·k²/2
// multiply-adds, counted as n·k² flops; Householder QR does twice that,
// counted as 2·n·k² flops. Both figures are per core (single thread).
// Each line is the median of --runs timed runs after one warm-up run; GFLOP/s
// uses CPU time (see below), the wall-clock median is shown next to it.

import {
  createAccumulator,
  deserializeAccumulator,
  mergeAccumulators,
  serializeAccumulator,
  updateAccumulator,
} from '../packages/core/dist/numerics/accumulate/index.js';
import { parseKernelBenchArgs } from './lib/kernel-args.mjs';
import { xorshiftUniform } from './lib/xorshift.mjs';

const { n, p, runs } = parseKernelBenchArgs();
const k = p + 2;

// Seeded data (xorshift32), so every run times the same numbers.
const rand = xorshiftUniform();
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

// Time by the process's CPU time as well as by the wall clock: on a machine
// shared with other jobs the wall clock also counts time spent descheduled,
// CPU time does not (this is a single-threaded loop, so CPU time ≈ time on core).
function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}

for (const [, fn] of cases) fn(); // warm-up (JIT)
// Round-robin over the cases, so a burst of load from other jobs hits all of them alike.
const wall = cases.map(() => []);
const cpu = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  cases.forEach(([, fn], c) => {
    const c0 = cpuSeconds();
    const t0 = process.hrtime.bigint();
    fn();
    wall[c].push(Number(process.hrtime.bigint() - t0) / 1e9);
    cpu[c].push(cpuSeconds() - c0);
  });
}
const results = cases.map(([name, , flops, count], c) => {
  const t = median(cpu[c]);
  return { name, seconds: t, wall: median(wall[c]), gflops: flops / t / 1e9, count };
});

const base = results[0].gflops;
console.log(
  `accumulator update, ${n} x ${p} (+ intercept, y; k = ${k}), median of ${runs} runs, 1 thread`,
);
console.log(
  `${'case'.padEnd(36)}${'cpu s'.padStart(8)}${'wall s'.padStart(8)}${'GFLOP/s'.padStart(9)}${'vs normal'.padStart(11)}  flops counted`,
);
for (const r of results) {
  console.log(
    `${r.name.padEnd(36)}${r.seconds.toFixed(3).padStart(8)}${r.wall.toFixed(3).padStart(8)}${r.gflops.toFixed(2).padStart(9)}${(r.gflops / base).toFixed(2).padStart(11)}  ${r.count}`,
  );
}
console.log('GFLOP/s = counted flops / median CPU seconds of the process (one core).');
console.log(
  `qr update time / normal update time = ${(results[1].seconds / results[0].seconds).toFixed(2)}`,
);

// Merging two partial states (what the engine does once per unit): the
// structured QR of two stacked k x k triangles, ~⅔k³ flops, vs. the O(k²)
// co-moment update.
for (const kind of ['qr', 'normal']) {
  const half = Math.floor(n / 2);
  const part = (from, to) => {
    const st = createAccumulator({ kind, p, intercept: true, weighted: false });
    updateAccumulator(st, {
      rows: to - from,
      x: x.map((c) => c.subarray(from, to)),
      y: y.subarray(from, to),
    });
    return st;
  };
  const a = part(0, half);
  const b = part(half, n);
  const times = [];
  for (let i = 0; i < 200; i++) {
    const copy = deserializeAccumulator(serializeAccumulator(a).slice(0));
    const c0 = cpuSeconds();
    mergeAccumulators(copy, b);
    times.push(cpuSeconds() - c0);
  }
  console.log(
    `merge of two ${kind} states (k = ${k}): ${(median(times) * 1e3).toFixed(2)} ms (median CPU time)`,
  );
}
