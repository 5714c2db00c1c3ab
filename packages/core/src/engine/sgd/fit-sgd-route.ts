/**
 * solver 'sgd' as a client of the engine: the driver (fit-sgd.ts) runs its
 * passes — statistics, epochs, evaluation — as task kinds over the source,
 * and sgd-solution.ts turns the result into a Solution, so inference and the
 * model are built as for the exact solvers, with the optimizer's report
 * (epochs, history, distance to the exact answer) recorded in the model.
 */
import { FitError, SpecError } from '@linreg/errors';
import { buildModel } from '../../model/build-model.js';
import { computeInference } from '../../numerics/inference/index.js';
import type { RouteResult, RouteSpec } from '../fit-types.js';
import { designRead, type ModelDesign } from '../model-design.js';
import type { PassContext } from '../run/pass.js';
import { fitSgd } from './fit-sgd.js';
import { sgdModelReport } from './sgd-report.js';
import { sgdSettingsOf } from './sgd-settings.js';
import { sgdSolution } from './sgd-solution.js';

export async function fitSgdRoute(
  ctx: PassContext,
  spec: RouteSpec,
  design: ModelDesign,
): Promise<RouteResult> {
  const columns = design.columns;
  if (!ctx.source.rereadable) {
    throw new SpecError('solver', 'sgd reads the data once per epoch; stdin can be read only once');
  }
  const settings = sgdSettingsOf(spec, columns.features.length);
  const sgd = await fitSgd(ctx, designRead(design, spec), settings);
  if (sgd.rowsPositiveWeight === 0) {
    throw new FitError(
      `no usable rows: ${sgd.rows.read} read, ${sgd.rows.dropped} dropped for missing values` +
        (spec.weights === undefined ? '' : ', or every weight is zero'),
    );
  }
  const solution = sgdSolution(sgd, spec.aliased, settings.standardize);
  const shape = {
    spec: {
      kind: settings.checkKind,
      p: settings.p,
      intercept: settings.intercept,
      weighted: settings.weighted,
    },
    k: solution.m + 1,
    rowsPositiveWeight: sgd.rowsPositiveWeight,
    sumLogWeights: sgd.sumLogWeights,
  };
  const inference = computeInference(shape, solution, { level: spec.level });
  const model = buildModel({
    factor: shape,
    solution,
    inference,
    names: {
      target: columns.target,
      features: columns.features,
      weights: spec.weights,
      terms: design.program,
    },
    rows: sgd.rows,
    solver: 'sgd',
    level: spec.level,
    timestamps: spec.timestamps,
    sgd: sgdModelReport(sgd),
  });
  return {
    model,
    factor: sgd.exact?.factor,
    solution,
    sgd,
    rows: sgd.rows,
    // The statistics pass, the epochs, and the evaluation pass, each a full read.
    passes: sgd.epochs + 2,
    bytes: sgd.bytes,
  };
}
