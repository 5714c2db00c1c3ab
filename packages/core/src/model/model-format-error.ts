/**
 * A model file (or a model being built) that is not a valid linreg model.
 * `source` names the file (or `<string>` / `buildModel`), `field` the JSON
 * path of the offending value, e.g. `coefficients[2].stdError`.
 */
export class ModelFormatError extends Error {
  override readonly name = 'ModelFormatError';
  constructor(
    readonly source: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(field === '' ? `${source}: ${problem}` : `${source}: ${field}: ${problem}`);
  }
}
