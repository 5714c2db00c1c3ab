// Averaged SGD / Adam vs the exact fit on generated, well-conditioned data.
//
//   npx -y pnpm@12.4.2 build && node bench/sgd.mjs
//   quick check: SGD_ROWS=20000 SGD_COLS=10 SGD_UNITS=4 SGD_EPOCHS=3 SGD_WORKERS=1,2 node bench/sgd.mjs
//
// Env: SGD_ROWS (default 1_000_000), SGD_COLS (100), SGD_UNITS (16),
// SGD_EPOCHS (5), SGD_NOISE (noise sd relative to the signal sd, default 0.1),
// SGD_BATCH (64), SGD_OPTIMIZERS ('sgd,adam'), SGD_SEED (1), SGD_EXACT_RUNS (3),
// SGD_MEMORY=0 / SGD_FILE=0 skip the in-memory / the Parquet-file part, SGD_WORKERS ('1,2'),
// SGD_CHECK ('on,off': the in-memory fits with the exact check on, then off).
//
// Data (bench/lib/sgd-data.mjs): x_j = offset_j + scale_j·N(0,1) (offsets in
// [−1, 1], scales ½, 1, 2: well conditioned in original units too),
// y = b + Xβ + noise; held in memory as `SGD_UNITS` DesignBatch units (one per
// "row group"), fitted by the library's `fit` (solver 'sgd', check on and
// off) over a memorySource of them, run in this thread. The check only adds
// the exact normal accumulator to the statistics pass; epochs are the same
// work either way.
// Reported per epoch: relative coefficient error of the reported estimate vs
// the exact QR fit, and the epoch's wall time next to one exact-fit pass
// (the QR accumulator over the same units + solve). Median of the epochs.
// Pass times come from fit's onProgress events (bench/lib/timing.mjs passTimer).
import { performance } from 'node:perf_hooks';
import { fit as engineFit, memorySource } from '../packages/core/dist/index.js';
import { exactQrFit } from './lib/exact-fit.mjs';
import { generateSgdUnits, sgdFeatureNames, toMemoryBatches } from './lib/sgd-data.mjs';
import { cpuSince, median, passTimer, sgdPasses } from './lib/timing.mjs';

const env = (name, fallback) =>
  process.env[name] === undefined ? fallback : Number(process.env[name]);
const n = env('SGD_ROWS', 1_000_000);
const p = env('SGD_COLS', 100);
const unitCount = env('SGD_UNITS', 16);
const epochs = env('SGD_EPOCHS', 5);
const noise = env('SGD_NOISE', 0.1);
const batchSize = env('SGD_BATCH', 64);
const seed = env('SGD_SEED', 1);
const optimizers = (process.env.SGD_OPTIMIZERS ?? 'sgd,adam').split(',');
const checks = (process.env.SGD_CHECK ?? 'on,off').split(',');
const features = sgdFeatureNames(p);

function relErr(a, b) {
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d / s);
}

if (process.env.SGD_MEMORY !== '0') {
  const t0 = performance.now();
  const units = generateSgdUnits({ n, p, unitCount, seed, noise });
  console.log(
    `data: ${n} rows x ${p} features in ${unitCount} units, noise ${noise}, generated in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const exactRuns = Array.from({ length: env('SGD_EXACT_RUNS', 3) }, () => exactQrFit(units, p));
  const exactMs = median(exactRuns.map((r) => r.ms));
  const exactCpuMs = median(exactRuns.map((r) => r.cpuMs));
  const exact = exactRuns[0].solution.coefficients;
  console.log(
    `exact fit (qr accumulate + solve, 1 thread): ${exactMs.toFixed(0)} ms wall, ${exactCpuMs.toFixed(0)} ms CPU (median of ${exactRuns.length})`,
  );

  const source = memorySource(toMemoryBatches(units));
  for (const optimizer of optimizers)
    for (const check of checks) {
      const timer = passTimer();
      const { sgd } = await engineFit(
        {
          target: 'y',
          features,
          solver: 'sgd',
          optimizer,
          batchSize,
          epochs,
          tol: 0,
          check,
          seed,
        },
        { source, onProgress: timer.onProgress },
      );
      const passes = sgdPasses(timer.passes, sgd);
      const epochMs = passes.epochs.map((x) => x.ms);
      const epochCpu = passes.epochs.map((x) => x.cpuMs);
      console.log(
        `\n${optimizer}, check ${check}: batch ${batchSize}, learning rate ${sgd.learningRate.toPrecision(3)}, reported ${sgd.estimate}`,
      );
      console.log(
        'epoch  relErr overall  relErr epoch avg   mean loss   epoch ms  epoch/exact   CPU ms  CPU/exact',
      );
      // Without the check the fit has no exact solution to compare each epoch with.
      const e2 = (x) => (x === undefined ? '—' : x.toExponential(2));
      sgd.history.forEach((h, i) => {
        console.log(
          `${String(h.epoch).padStart(5)}  ${e2(h.relativeError).padStart(14)}  ${e2(h.epochAverageRelativeError).padStart(16)}  ${h.meanLoss.toExponential(3).padStart(10)}  ${epochMs[i].toFixed(0).padStart(9)}  ${(epochMs[i] / exactMs).toFixed(2).padStart(11)}  ${epochCpu[i].toFixed(0).padStart(7)}  ${(epochCpu[i] / exactCpuMs).toFixed(2).padStart(9)}`,
        );
      });
      if (sgd.exact !== undefined) {
        console.log(
          `check: relative error vs the normal-route exact fit ${sgd.exact.relativeError.toExponential(3)}`,
        );
      }
      console.log(
        `final relative coefficient error vs exact: ${relErr(sgd.coefficients, exact).toExponential(3)} (last iterate ${relErr(sgd.lastIterate, exact).toExponential(3)})`,
      );
      console.log(
        `statistics pass (moments${check === 'on' ? ' + normal accumulator for the check' : ''}) ${passes.statistics.ms.toFixed(0)} ms, evaluate pass ${passes.evaluate.ms.toFixed(0)} ms, median epoch ${median(epochMs).toFixed(0)} ms = ${(median(epochMs) / exactMs).toFixed(2)} x exact (CPU ${(median(epochCpu) / exactCpuMs).toFixed(2)} x)`,
      );
    }
}

// ---------------------------------------------------------------------------
// From a generated Parquet file through the worker pool (fit with solver 'sgd',
// check off): SGD epochs vs the engine's exact fit of the same file with the
// same worker count. SGD_FILE=0 skips; SGD_WORKERS ('1,2').
if (process.env.SGD_FILE !== '0') {
  const { existsSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const { generateDataset, planInputs } = await import('../packages/io/dist/index.js');

  const dir = join(fileURLToPath(new URL('.', import.meta.url)), 'data', `sgd-${n}x${p}`);
  if (!existsSync(join(dir, 'part-00000.parquet'))) {
    const t = performance.now();
    await generateDataset({
      dir,
      rows: n,
      cols: p,
      shards: 1,
      format: 'parquet',
      seed,
      noise: 1,
      rowGroupRows: Math.ceil(n / unitCount),
    });
    console.log(`\ngenerated ${dir} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
  const plan = await planInputs([dir]);
  for (const workers of (process.env.SGD_WORKERS ?? '1,2').split(',').map(Number)) {
    // The machine is shared: time the exact fit before and after the SGD run and use the mean.
    const timeExact = async () => {
      const t = performance.now();
      const c = process.cpuUsage();
      const result = await engineFit({ inputs: [dir], target: 'y', refine: 'off', workers });
      return { result, ms: performance.now() - t, cpuMs: cpuSince(c) };
    };
    const before = await timeExact();
    const exactFile = before.result;
    const timer = passTimer();
    const { sgd: sgdFit } = await engineFit(
      {
        inputs: [dir],
        target: 'y',
        features,
        solver: 'sgd',
        batchSize,
        epochs,
        tol: 0,
        check: 'off',
        seed,
        workers,
      },
      { onProgress: timer.onProgress },
    );
    const passes = sgdPasses(timer.passes, sgdFit);
    const epochMs = passes.epochs.map((x) => x.ms);
    const epochCpu = passes.epochs.map((x) => x.cpuMs);
    const after = await timeExact();
    const exactFileMs = (before.ms + after.ms) / 2;
    const exactFileCpu = (before.cpuMs + after.cpuMs) / 2;
    console.log(
      `\nfile (${plan.units.length} row groups), ${workers} worker(s): exact fit (engine, qr, refine off) ${before.ms.toFixed(0)} ms before, ${after.ms.toFixed(0)} ms after the SGD run (CPU ${before.cpuMs.toFixed(0)} / ${after.cpuMs.toFixed(0)} ms)`,
    );
    console.log('epoch  epoch ms  epoch/exact   CPU ms  CPU/exact');
    epochMs.forEach((ms, i) => {
      console.log(
        `${String(i + 1).padStart(5)}  ${ms.toFixed(0).padStart(8)}  ${(ms / exactFileMs).toFixed(2).padStart(11)}  ${epochCpu[i].toFixed(0).padStart(7)}  ${(epochCpu[i] / exactFileCpu).toFixed(2).padStart(9)}`,
      );
    });
    console.log(
      `statistics pass ${passes.statistics.ms.toFixed(0)} ms, evaluate pass ${passes.evaluate.ms.toFixed(0)} ms; relative error vs the exact fit after ${sgdFit.epochs} epochs: ${relErr(sgdFit.coefficients, exactFile.solution.coefficients).toExponential(3)}`,
    );
  }
}
