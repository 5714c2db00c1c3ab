/**
 * One unit's answer to one pass, given the unit's rows (already read and
 * missing-dropped). Pure: the same rows and pass give the same bits wherever
 * and whenever it runs, which is what makes the fit independent of the
 * worker count.
 */
import {
  createAccumulator,
  createMoments,
  serializeAccumulator,
  serializeMoments,
  updateAccumulator,
  updateMoments,
} from '../../numerics/accumulate/index.js';
import { evaluateSgd, runSgdEpoch } from '../../numerics/sgd/index.js';
import { type DesignBatch, NumericInputError } from '../../numerics/types.js';
import type { OutputOf, SgdPass, SgdUnitOutput, SgdUnitRows } from './protocol.js';

export function runSgdUnit<P extends SgdPass>(
  pass: P,
  unitIndex: number,
  batch: DesignBatch,
  rows: SgdUnitRows = { rowsRead: batch.rows, rowsUsed: batch.rows, rowsDropped: 0 },
): OutputOf<P> {
  let output: SgdUnitOutput;
  switch (pass.kind) {
    case 'statistics': {
      if ((batch.w !== undefined) !== pass.weighted) {
        throw new NumericInputError(
          `sgd: the fit is ${pass.weighted ? '' : 'not '}weighted but unit ${unitIndex}'s rows ${batch.w === undefined ? 'have no' : 'have'} weights`,
        );
      }
      const moments = createMoments(pass.p);
      if (batch.rows > 0) updateMoments(moments, batch);
      let exact: ArrayBuffer | undefined;
      if (pass.exact !== undefined) {
        const state = createAccumulator(pass.exact);
        if (batch.rows > 0) updateAccumulator(state, batch);
        exact = serializeAccumulator(state);
      }
      output = { kind: 'statistics', ...rows, moments: serializeMoments(moments), exact };
      break;
    }
    case 'epoch': {
      const result = runSgdEpoch(pass.params, batch, { ...pass.options, unitIndex });
      output = { kind: 'epoch', ...rows, result };
      break;
    }
    case 'evaluate': {
      const evaluations = pass.thetas.map((theta) =>
        evaluateSgd(theta, batch, pass.standardization),
      );
      output = { kind: 'evaluate', ...rows, evaluations };
      break;
    }
  }
  return output as OutputOf<P>;
}
