#!/usr/bin/env node
/**
 * The motivating user's approach as a baseline (see the README, "The motivating example"):
 * a Keras-style `Dense(1)` layer trained with Adam (learning rate 0.1, batch 32,
 * MSE loss) in @tensorflow/tfjs on the pure-JS CPU backend, beside linreg's exact
 * one-pass fit and its averaged SGD / Adam, on the same rows.
 *
 *   npx -y pnpm@12.4.2 build && node bench/tfjs-baseline.mjs
 *   quick check: BENCH_ROWS=20000 BENCH_COLS=10 BENCH_UNITS=4 BENCH_TOY_EPOCHS=100 node bench/tfjs-baseline.mjs
 *
 * Part 1, scale. Data: bench/lib/sgd-data.mjs, as bench/sgd.mjs's in-memory part (seeded:
 * x_j = offset_j + scale_j·N(0,1), y = 3 + Xβ + noise), so
 * `SGD_ROWS=<rows run> SGD_UNITS=16 SGD_SEED=1 node bench/sgd.mjs` sees the very
 * same rows. tfjs takes ≈ 16 s per epoch per million rows, so every method runs
 * on min(BENCH_ROWS, BENCH_TFJS_ROWS) rows and wall / CPU times are also given
 * scaled linearly to one million rows. Errors are ‖w − β̂‖/‖β̂‖ over the whole
 * coefficient vector (intercept first) against linreg's exact QR fit of the same
 * rows, after each of BENCH_EPOCHS epochs; "excess MSE" is (MSE(w) − MSE(β̂)) / MSE(β̂).
 * Timings: the exact pass is the median of BENCH_REPS runs; an epoch time is the
 * median of the BENCH_EPOCHS epochs (each epoch itself one run). linreg's SGD runs
 * through the library's `fit` (solver 'sgd', check on) over a memorySource of the
 * units, its pass times taken from fit's onProgress events (lib/timing.mjs passTimer). tfjs shuffles
 * with Math.random (Keras' default shuffle=true; not seedable), so its error
 * figures vary a little between runs; its initializer is seeded.
 *
 * Part 2, the toy set of the user story: Dense(1) + Adam(0.1), 1000 epochs, next
 * to linreg's minimum-norm answer (1, 1) with intercept 0. One run per
 * initializer seed: where Adam ends depends on where it started (the weights
 * are not identified), while the predictions are the same.
 *
 * Environment:
 *   BENCH_ROWS (1000000, the nominal size)  BENCH_TFJS_ROWS (200000, cap on rows run)
 *   BENCH_COLS (100)  BENCH_EPOCHS (3)  BENCH_UNITS (16)  BENCH_SEED (1)  BENCH_NOISE (0.1)
 *   BENCH_REPS (3, exact-pass repetitions)  BENCH_TFJS_LR (0.1)  BENCH_TFJS_BATCH (32)
 *   BENCH_TOY_EPOCHS (1000)  BENCH_TOY_SEEDS ('1,2,3', initializer seeds)  BENCH_SKIP (comma list of: scale, toy, linreg-sgd)
 * Requires `pnpm run build` (linreg runs from packages/core/dist).
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { fit as engineFit, memorySource } from '../packages/core/dist/index.js';
import { exactQrFit } from './lib/exact-fit.mjs';
import { generateSgdUnits, sgdFeatureNames, toMemoryBatches } from './lib/sgd-data.mjs';
import { cpuSince, median, passTimer, sgdPasses } from './lib/timing.mjs';

const env = (name, fallback) =>
  process.env[name] === undefined || process.env[name] === ''
    ? fallback
    : Number(process.env[name]);
const nominalRows = env('BENCH_ROWS', 1_000_000);
const n = Math.min(nominalRows, env('BENCH_TFJS_ROWS', 200_000));
const p = env('BENCH_COLS', 100);
const epochs = env('BENCH_EPOCHS', 3);
const unitCount = Math.min(env('BENCH_UNITS', 16), n);
const seed = env('BENCH_SEED', 1);
const noise = env('BENCH_NOISE', 0.1);
const reps = Math.max(1, env('BENCH_REPS', 3));
const tfjsLearningRate = env('BENCH_TFJS_LR', 0.1);
const tfjsBatch = env('BENCH_TFJS_BATCH', 32);
const toyEpochs = env('BENCH_TOY_EPOCHS', 1000);
const toySeeds = (process.env.BENCH_TOY_SEEDS ?? '1,2,3').split(',').map(Number);
const skip = new Set((process.env.BENCH_SKIP ?? '').split(',').filter(Boolean));
const perMillion = 1e6 / n;

await tf.setBackend('cpu');
await tf.ready();

function relErr(a, b) {
  let d = 0;
  let s = 0;
  for (let i = 0; i < b.length; i++) {
    d += (a[i] - b[i]) ** 2;
    s += b[i] ** 2;
  }
  return Math.sqrt(d / s);
}

/** Mean squared residual of design-order coefficients (intercept first) over the units. */
function meanSquaredError(units, coef) {
  let sum = 0;
  let rowsTotal = 0;
  for (const unit of units) {
    const r = Float64Array.from(unit.y);
    for (let i = 0; i < unit.rows; i++) r[i] -= coef[0];
    for (let j = 0; j < p; j++) {
      const col = unit.x[j];
      const b = coef[j + 1];
      for (let i = 0; i < unit.rows; i++) r[i] -= b * col[i];
    }
    for (let i = 0; i < unit.rows; i++) sum += r[i] * r[i];
    rowsTotal += unit.rows;
  }
  return sum / rowsTotal;
}

/** Keras' `Sequential([Dense(1, input_shape=(cols,))])`, Adam(lr), MSE — the user's model. */
function denseModel(cols, learningRate, initSeed = seed) {
  const model = tfl.sequential({
    layers: [
      tfl.layers.dense({
        units: 1,
        inputShape: [cols],
        kernelInitializer: tfl.initializers.glorotUniform({ seed: initSeed }),
      }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(learningRate), loss: 'meanSquaredError' });
  return model;
}

/** Design-order coefficients (bias first) of a Dense(1) model, as float64. */
function denseCoefficients(model) {
  const [kernel, bias] = model.getWeights();
  const out = new Float64Array(kernel.shape[0] + 1);
  out[0] = bias.dataSync()[0];
  out.set(kernel.dataSync(), 1);
  return out;
}

const fmtS = (ms) => (ms / 1000).toFixed(ms < 10_000 ? 2 : 1);
const pad = (s, w) => String(s).padStart(w);

if (!skip.has('scale')) {
  const g0 = performance.now();
  const units = generateSgdUnits({ n, p, unitCount, seed, noise });
  console.log(
    `data: ${n} rows x ${p} features (+ intercept), ${unitCount} units, noise ${noise}, seed ${seed}, generated in ${fmtS(performance.now() - g0)} s` +
      (n < nominalRows
        ? `\n      (BENCH_ROWS=${nominalRows}, capped at BENCH_TFJS_ROWS: tfjs is slow; times below are also scaled to 1M rows linearly)`
        : ''),
  );

  const exactRuns = Array.from({ length: reps }, () => exactQrFit(units, p));
  const exact = exactRuns[0].solution.coefficients;
  const exactMse = meanSquaredError(units, exact);
  const exactMs = median(exactRuns.map((r) => r.ms));
  const exactCpu = median(exactRuns.map((r) => r.cpuMs));
  const rows = [
    {
      method: 'linreg exact (QR pass + solve, 1 thread)',
      extraMs: NaN,
      epochMs: exactMs,
      epochCpu: exactCpu,
      timing: `median of ${reps}`,
      errors: [0],
      excess: 0,
    },
  ];

  if (!skip.has('linreg-sgd')) {
    const source = memorySource(toMemoryBatches(units));
    for (const optimizer of ['sgd', 'adam']) {
      const timer = passTimer();
      const { sgd: fit } = await engineFit(
        {
          target: 'y',
          features: sgdFeatureNames(p),
          solver: 'sgd',
          optimizer,
          epochs,
          tol: 0,
          check: 'on',
          seed,
        },
        { source, onProgress: timer.onProgress },
      );
      const passes = sgdPasses(timer.passes, fit);
      const epochPasses = passes.epochs;
      rows.push({
        method: `linreg averaged ${optimizer} (batch ${fit.batchSize}, lr ${fit.learningRate.toPrecision(2)}, standardized)`,
        extraMs: passes.statistics.ms,
        epochMs: median(epochPasses.map((x) => x.ms)),
        epochCpu: median(epochPasses.map((x) => x.cpuMs)),
        timing: `median of ${epochPasses.length} epochs`,
        // Per-epoch errors are against the check's exact solution (normal route), the final one against QR.
        errors: [
          ...fit.history.slice(0, -1).map((h) => h.relativeError),
          relErr(fit.coefficients, exact),
        ],
        excess: (meanSquaredError(units, fit.coefficients) - exactMse) / exactMse,
      });
    }
  }

  // tfjs wants one row-major float32 matrix (its CPU backend computes in float32).
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const xFlat = new Float32Array(n * p);
  const yFlat = new Float32Array(n);
  let offset = 0;
  for (const unit of units) {
    for (let j = 0; j < p; j++) {
      const col = unit.x[j];
      for (let i = 0; i < unit.rows; i++) xFlat[(offset + i) * p + j] = col[i];
    }
    yFlat.set(unit.y, offset);
    offset += unit.rows;
  }
  const xs = tf.tensor2d(xFlat, [n, p]);
  const ys = tf.tensor2d(yFlat, [n, 1]);
  const loadMs = performance.now() - t0;
  const loadCpu = cpuSince(c0);
  const model = denseModel(p, tfjsLearningRate);
  const tfjsEpochs = [];
  for (let e = 0; e < epochs; e++) {
    const te = performance.now();
    const ce = process.cpuUsage();
    const history = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: tfjsBatch,
      shuffle: true,
      verbose: 0,
      yieldEvery: 'never',
    });
    const ms = performance.now() - te;
    const cpuMs = cpuSince(ce);
    const coef = denseCoefficients(model);
    tfjsEpochs.push({ ms, cpuMs, coef, loss: history.history.loss[0] });
    console.log(
      `  tfjs epoch ${e + 1}/${epochs}: ${fmtS(ms)} s wall, ${fmtS(cpuMs)} s CPU, mean batch loss ${Number(history.history.loss[0]).toExponential(3)}, relErr ${relErr(coef, exact).toExponential(2)}`,
    );
  }
  const tfjsFinal = tfjsEpochs[tfjsEpochs.length - 1].coef;
  rows.push({
    method: `tfjs Dense(1) + Adam(${tfjsLearningRate}), batch ${tfjsBatch}, cpu backend`,
    extraMs: loadMs,
    extraCpu: loadCpu,
    epochMs: median(tfjsEpochs.map((x) => x.ms)),
    epochCpu: median(tfjsEpochs.map((x) => x.cpuMs)),
    timing: `median of ${epochs} epochs (each a single run)`,
    errors: tfjsEpochs.map((x) => relErr(x.coef, exact)),
    excess: (meanSquaredError(units, tfjsFinal) - exactMse) / exactMse,
  });
  xs.dispose();
  ys.dispose();
  model.dispose();

  console.log(
    `\n${n} rows x ${p}: relative coefficient error ‖w − β̂‖/‖β̂‖ vs linreg's exact QR fit; exact MSE ${exactMse.toExponential(4)}`,
  );
  console.log(
    `"pass" = one exact pass or one epoch; "setup" = linreg SGD's statistics pass (moments + exact check), tfjs' copy into tensors.`,
  );
  const errHead = Array.from({ length: epochs }, (_, e) => pad(`err@${e + 1}`, 9)).join(' ');
  console.log(
    `${'method'.padEnd(62)} ${pad('setup s', 8)} ${pad('pass s', 8)} ${pad('CPU s', 7)} ${pad('pass s/1M', 9)} ${pad('CPU s/1M', 9)} ${pad('÷exact', 7)} ${errHead} ${pad('excessMSE', 9)}  timing`,
  );
  for (const r of rows) {
    const errs = Array.from({ length: epochs }, (_, e) =>
      pad(
        r.errors[e] === undefined ? '' : r.errors[e] === 0 ? 'ref' : r.errors[e].toExponential(2),
        9,
      ),
    ).join(' ');
    console.log(
      `${r.method.padEnd(62)} ${pad(Number.isNaN(r.extraMs) ? '-' : fmtS(r.extraMs), 8)} ${pad(fmtS(r.epochMs), 8)} ${pad(fmtS(r.epochCpu), 7)} ${pad(fmtS(r.epochMs * perMillion), 9)} ${pad(fmtS(r.epochCpu * perMillion), 9)} ${pad((r.epochMs / exactMs).toFixed(1), 7)} ${errs} ${pad(r.excess === 0 ? 'ref' : r.excess.toExponential(2), 9)}  ${r.timing}`,
    );
  }
  const tfjsRow = rows[rows.length - 1];
  console.log(
    `\ntfjs: ${fmtS(tfjsRow.epochMs * perMillion)} s per epoch per million rows; ${epochs} epochs = ${((epochs * tfjsRow.epochMs) / exactMs).toFixed(0)} x linreg's exact pass, and still ${tfjsRow.errors[epochs - 1].toExponential(2)} from the exact coefficients.`,
  );
}

if (!skip.has('toy')) {
  // The user story's toy set: x2 = x1 + 1 on every row, so (intercept, x1, x2) are collinear.
  const toyX = [
    [1, 2],
    [2, 3],
    [3, 4],
    [4, 5],
    [5, 6],
  ];
  const toyY = [3, 5, 7, 9, 11];
  const xs = tf.tensor2d(toyX);
  const ys = tf.tensor2d(toyY, [5, 1]);
  const fmt = (v) => v.toFixed(4);
  console.log(`\ntoy set of the user story: X = [[1,2],[2,3],[3,4],[4,5],[5,6]], y = [3,5,7,9,11]`);
  for (const initSeed of toySeeds) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const model = denseModel(2, tfjsLearningRate, initSeed);
    const w0 = denseCoefficients(model);
    await model.fit(xs, ys, {
      epochs: toyEpochs,
      batchSize: tfjsBatch,
      verbose: 0,
      yieldEvery: 'never',
    });
    const tfCoef = denseCoefficients(model);
    const tfPred = tf.tidy(() => model.predict(xs).dataSync());
    const tfMs = performance.now() - t0;
    const tfCpu = cpuSince(c0);
    model.dispose();
    console.log(
      `  tfjs Dense(1) + Adam(${tfjsLearningRate}), ${toyEpochs} epochs, glorotUniform seed ${initSeed} (start w = (${fmt(w0[1])}, ${fmt(w0[2])}), b = 0): w = (${fmt(tfCoef[1])}, ${fmt(tfCoef[2])}), b = ${fmt(tfCoef[0])}; predictions [${Array.from(tfPred, (v) => v.toFixed(3)).join(', ')}]; ${fmtS(tfMs)} s wall, ${fmtS(tfCpu)} s CPU`,
    );
  }
  xs.dispose();
  ys.dispose();

  const unit = {
    rows: 5,
    x: [Float64Array.from(toyX, (r) => r[0]), Float64Array.from(toyX, (r) => r[1])],
    y: Float64Array.from(toyY),
  };
  const { solution } = exactQrFit([unit], 2);
  const c = solution.coefficients;
  const relation = solution.relations
    .map((rel) => {
      const name = (k) => (k === 0 ? '1' : `x${k}`);
      const terms = rel.terms.map((t) => `${fmt(t.coef)}·${name(t.column)}`).join(' + ');
      return `${name(rel.column)} = ${terms}`;
    })
    .join('; ');
  console.log(
    `  linreg exact, minimum norm (unique, no start point): w = (${fmt(c[1])}, ${fmt(c[2])}), b = ${fmt(c[0])}; rank ${solution.rank} of 3, aliased: ${relation || 'none'}`,
  );
}
