import { it } from 'vitest';
import { fitSgd } from '../../packages/core/src/engine/sgd/fit-sgd.js';
import { inMemorySgdRunner } from '../../packages/core/src/engine/sgd/in-memory-runner.js';
it('toy', async () => {
  const x1 = new Float64Array([1, 2, 3, 4, 5]);
  const x2 = new Float64Array([2, 3, 4, 5, 6]);
  const y = new Float64Array([3, 5, 7, 9, 11]);
  const runner = inMemorySgdRunner([{ rows: 5, x: [x1, x2], y }]);
  for (const optimizer of ['sgd', 'adam'] as const) {
    for (const check of [true, false]) {
    const fit = await fitSgd(runner, { p: 2, optimizer, batchSize: 1, epochs: 2000, tol: 1e-12, check, learningRate: optimizer === 'adam' ? 0.1 : undefined });
    console.log(optimizer, check, fit.status, fit.estimate, fit.epochs, Array.from(fit.coefficients), fit.gradientNorm, fit.exact?.relativeError, fit.relations, fit.learningRate, fit.warnings);
    }
  }
});
