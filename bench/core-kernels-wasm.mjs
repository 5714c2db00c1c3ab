// The accumulators' two hot kernels, WebAssembly SIMD (f64x2) vs plain JS,
// side by side on one in-memory batch:
//
//   npx -y pnpm@12.4.2 run build && node bench/core-kernels-wasm.mjs [--rows 100000] [--p 100] [--runs 5]
//
// - qr: the whole batch update of the `qr` accumulator (blocks of [1 X y]
//   annihilated against R by blocked Householder, compact WY), JS
//   updateQrState vs wasmUpdateQr; 2·n·k² flops, k = p + 2.
// - gram: the block loop of the `normal` accumulator (fill a block, C += BᵀB),
//   JS addBatchComoments (raw, uncentered: the same fill + syrk) vs
//   wasmAddCenteredGram with zero means; n·q² flops, q = p + 1.
//
// Each figure is the median of --runs timed runs (after one warm-up run) of
// the process's CPU time, which, unlike the wall clock, does not count time
// spent descheduled on a loaded machine (single-threaded loops).

import {
  addBatchComoments,
  updateQrState,
} from '../packages/core/dist/numerics/accumulate/index.js';
import {
  wasmAddCenteredGram,
  wasmKernelsAvailable,
  wasmUpdateQr,
} from '../packages/core/dist/numerics/wasm/index.js';
import { parseKernelBenchArgs } from './lib/kernel-args.mjs';
import { xorshiftUniform } from './lib/xorshift.mjs';

const { n, p, runs } = parseKernelBenchArgs();
const k = p + 2;
const q = p + 1;

if (!wasmKernelsAvailable()) {
  console.log('WebAssembly SIMD kernels unavailable (or LINREG_KERNELS=js): nothing to compare.');
  process.exit(0);
}

// Seeded data (xorshift32), so every run times the same numbers.
const rand = xorshiftUniform();
const cols = Array.from({ length: q }, () => Float64Array.from({ length: n }, rand));
const spec = { kind: 'qr', p, intercept: true, weighted: false };
const zeros = new Float64Array(q);

/** Runs `f` on the plain-JS path: the accumulators dispatch to WebAssembly unless LINREG_KERNELS=js. */
function onJsPath(f) {
  return () => {
    process.env.LINREG_KERNELS = 'js';
    try {
      f();
    } finally {
      delete process.env.LINREG_KERNELS;
    }
  };
}

const cases = [
  [
    'qr  JS   (updateQrState)',
    onJsPath(() => updateQrState(spec, new Float64Array(k * k), cols, n, undefined)),
    2 * n * k * k,
  ],
  [
    'qr  wasm (wasmUpdateQr)',
    () => wasmUpdateQr(new Float64Array(k * k), k, cols, n, undefined, true),
    2 * n * k * k,
  ],
  [
    'gram JS   (addBatchComoments)',
    onJsPath(() =>
      addBatchComoments(
        new Float64Array(q),
        new Float64Array(q),
        new Float64Array(q * q),
        0,
        cols,
        n,
        undefined,
        n,
        false,
      ),
    ),
    n * q * q,
  ],
  [
    'gram wasm (wasmAddCenteredGram)',
    () => wasmAddCenteredGram(new Float64Array(q * q), cols, n, undefined, zeros, zeros),
    n * q * q,
  ],
];

function cpuSeconds() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
function median(xs) {
  const v = [...xs].sort((u, w) => u - w);
  return v[Math.floor(v.length / 2)];
}

for (const [, fn] of cases) fn(); // warm-up (JIT, module memory growth)
// Round-robin over the cases, so a burst of load from other jobs hits all alike.
const cpu = cases.map(() => []);
for (let i = 0; i < runs; i++) {
  cases.forEach(([, fn], c) => {
    const c0 = cpuSeconds();
    fn();
    cpu[c].push(cpuSeconds() - c0);
  });
}

console.log(
  `accumulator kernels, ${n} x ${p} (k = ${k}), median CPU time of ${runs} runs, 1 thread`,
);
console.log(
  `${'kernel'.padEnd(34)}${'cpu s'.padStart(8)}${'GFLOP/s'.padStart(9)}${'vs JS'.padStart(8)}`,
);
let jsRate = 0;
cases.forEach(([name, , flops], c) => {
  const t = median(cpu[c]);
  const rate = flops / t / 1e9;
  if (name.includes(' JS ')) jsRate = rate;
  console.log(
    `${name.padEnd(34)}${t.toFixed(3).padStart(8)}${rate.toFixed(2).padStart(9)}${(rate / jsRate).toFixed(2).padStart(8)}`,
  );
});
console.log(
  'flops counted: qr 2·n·k², gram n·q²; GFLOP/s = flops / median CPU seconds (one core).',
);
