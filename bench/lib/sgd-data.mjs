// The in-memory data recipe shared by bench/sgd.mjs and bench/tfjs-baseline.mjs,
// so both see the very same rows for the same (rows, cols, units, seed, noise).
//
// x_j = offset_j + scale_j·N(0,1) (offsets in [−1, 1], scales ½, 1, 2: well
// conditioned in original units too), y = 3 + Xβ + noise, split into `unitCount`
// DesignBatch-shaped units ({ rows, x: column arrays, y }), one per "row group".
import { createRandom, nextGaussian } from '../../packages/core/dist/numerics/sgd/index.js';

/** Generate the units; `noise` is the noise sd relative to the signal sd. */
export function generateSgdUnits({ n, p, unitCount, seed, noise }) {
  const rng = createRandom(seed, 0xda7a);
  const offset = Float64Array.from({ length: p }, (_, j) => ((j % 5) - 2) / 2);
  const scale = Float64Array.from({ length: p }, (_, j) => 2 ** ((j % 3) - 1));
  const beta = Float64Array.from({ length: p }, () => nextGaussian(rng));
  for (let j = 0; j < p; j++) beta[j] /= scale[j];
  const intercept = 3;
  const units = [];
  let start = 0;
  for (let u = 0; u < unitCount; u++) {
    const rows = Math.floor(((u + 1) * n) / unitCount) - start;
    start += rows;
    const x = Array.from({ length: p }, () => new Float64Array(rows));
    const y = new Float64Array(rows).fill(intercept);
    for (let j = 0; j < p; j++) {
      const col = x[j];
      for (let i = 0; i < rows; i++) {
        col[i] = offset[j] + scale[j] * nextGaussian(rng);
        y[i] += beta[j] * col[i];
      }
    }
    // Signal sd is ‖β∘scale‖ ≈ sqrt(p).
    const sigma = noise * Math.sqrt(p);
    for (let i = 0; i < rows; i++) y[i] += sigma * nextGaussian(rng);
    units.push({ rows, x, y });
  }
  return units;
}

/** Feature names x0 … x(p−1), as the units' columns are named in memory and by generateDataset. */
export function sgdFeatureNames(p) {
  return Array.from({ length: p }, (_, j) => `x${j}`);
}

/** The units as memorySource() batches: { x0, …, x(p−1), y } records over the same arrays (no copy). */
export function toMemoryBatches(units) {
  return units.map((unit) => {
    const batch = {};
    unit.x.forEach((col, j) => {
      batch[`x${j}`] = col;
    });
    batch.y = unit.y;
    return batch;
  });
}
