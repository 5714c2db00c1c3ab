// The exact one-pass fit the SGD benches compare against, timed.
import {
  createAccumulator,
  finalizeAccumulator,
  mergeAccumulators,
  updateAccumulator,
} from '../../packages/core/dist/numerics/accumulate/index.js';
import { solve } from '../../packages/core/dist/numerics/solve/index.js';
import { cpuSince } from './timing.mjs';

/** One exact pass: QR accumulator over the units in order, merged, then solved (1 thread); `p` features plus an intercept. */
export function exactQrFit(units, p) {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  let state;
  for (const unit of units) {
    const s = createAccumulator({ kind: 'qr', p, intercept: true, weighted: false });
    updateAccumulator(s, unit);
    state = state === undefined ? s : mergeAccumulators(state, s);
  }
  const solution = solve(finalizeAccumulator(state));
  return { solution, ms: performance.now() - t0, cpuMs: cpuSince(c0) };
}
