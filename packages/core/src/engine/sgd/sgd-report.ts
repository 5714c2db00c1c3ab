/** The SGD fit's report as the model file records it (docs/model-format.md, `sgd`). */
import type { ModelSgd } from '../../model/model.js';
import type { SgdFit } from './sgd-result.js';

export function sgdModelReport(fit: SgdFit): ModelSgd {
  return {
    optimizer: fit.optimizer,
    status: fit.status,
    epochs: fit.epochs,
    tol: fit.tol,
    learningRate: fit.learningRate,
    batchSize: fit.batchSize,
    estimate: fit.estimate,
    gradientNorm: fit.gradientNorm,
    checked: fit.exact !== undefined,
    relativeError: fit.exact?.relativeError ?? Number.NaN,
    history: fit.history.map((h) => ({
      epoch: h.epoch,
      learningRate: h.learningRate,
      meanLoss: h.meanLoss,
      change: h.change,
      relativeError: h.relativeError ?? Number.NaN,
    })),
  };
}
