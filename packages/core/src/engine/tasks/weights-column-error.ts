/**
 * The accumulators check the weights they are given as column `w`; the task
 * knows which input column that is, so its error names it (the one-line
 * error names the file, the column and the row).
 */
import { NumericInputError } from '@linreg/errors';

export function nameWeightsColumn(error: unknown, weights: string | undefined): unknown {
  if (!(error instanceof NumericInputError) || error.column !== 'w' || weights === undefined) {
    return error;
  }
  return new NumericInputError(`weights column ${weights}: ${error.message}`, error.row, weights);
}
