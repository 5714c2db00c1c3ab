/**
 * Prediction with a per-group model file (`fit --by -o`): each row is
 * predicted by its group's model. The group columns are read with the
 * features (numbers as they are, text as categories); a row whose group
 * value is missing, or whose group has no model, gets a null prediction
 * (counted as missing, as a row with a missing feature).
 *
 * Every group's model has the same features and terms (one design, fitted
 * per group), so the design columns are built once per batch; each group's
 * rows are gathered into scratch columns, predicted with its model and
 * scattered back. Lookups are nested Maps, one level per group column: no
 * per-row objects.
 */
import type { ColumnBatch } from '@linreg/io';
import type { LinregModel } from '../../model/model.js';
import { type Prediction, type PredictOptions, predict } from '../../model/predict.js';

/** What a predict task needs of a groups document (plain data: it travels to the workers). */
export interface PredictGroups {
  readonly by: readonly string[];
  /** Parallel to `by`: true for a text column (read as categories). */
  readonly categorical: readonly boolean[];
  /** Per group: its key, one value per `by` column. */
  readonly keys: readonly (readonly (number | string)[])[];
  /** Per group: its model as JSON text (or its bytes: modelJsonForTask). */
  readonly modelsJson: readonly (string | Uint8Array)[];
}

type Lookup = Map<number | string, Lookup | number>;

export class GroupRouter {
  readonly #lookup: Lookup = new Map();
  readonly #depth: number;
  #rowModel = new Int32Array(0);

  constructor(groups: PredictGroups) {
    this.#depth = groups.by.length;
    groups.keys.forEach((key, g) => {
      let level = this.#lookup;
      key.forEach((value, c) => {
        if (c === key.length - 1) {
          level.set(value, g);
          return;
        }
        let next = level.get(value);
        if (next === undefined || typeof next === 'number') {
          next = new Map();
          level.set(value, next);
        }
        level = next;
      });
    });
  }

  /** Each row's model (−1 for none) from the group columns at `at` in the batch. */
  route(batch: ColumnBatch, at: readonly number[]): Int32Array {
    const n = batch.rows;
    if (this.#rowModel.length < n) this.#rowModel = new Int32Array(n);
    const out = this.#rowModel;
    for (let i = 0; i < n; i++) {
      let found: Lookup | number | undefined = this.#lookup;
      for (let c = 0; c < this.#depth && found !== undefined && typeof found !== 'number'; c++) {
        const j = at[c] as number;
        const nulls = batch.nulls[j] ?? null;
        const v = (batch.columns[j] as Float64Array)[i] as number;
        const levels = batch.levels?.[j] ?? null;
        if ((nulls !== null && nulls[i] === 1) || Number.isNaN(v)) {
          found = undefined;
          break;
        }
        found = found.get(levels === null ? v : (levels[v] as string));
      }
      out[i] = typeof found === 'number' ? found : -1;
    }
    return out;
  }
}

/**
 * Predictions of n rows, each by its model (`rowModel`, −1: NaN), and each
 * row's σ̂ (for se_pred). Columns hold NaN where a feature is missing.
 */
export function predictRouted(
  models: readonly LinregModel[],
  features: readonly Float64Array[],
  n: number,
  rowModel: Int32Array,
  options: PredictOptions,
): { prediction: Prediction; sigma: Float64Array } {
  const interval = options.interval !== undefined;
  const fit = new Float64Array(n).fill(Number.NaN);
  const se = interval ? new Float64Array(n).fill(Number.NaN) : undefined;
  const lower = interval ? new Float64Array(n).fill(Number.NaN) : undefined;
  const upper = interval ? new Float64Array(n).fill(Number.NaN) : undefined;
  const sigma = new Float64Array(n).fill(Number.NaN);
  const counts = new Int32Array(models.length);
  for (let i = 0; i < n; i++) {
    const g = rowModel[i] as number;
    if (g >= 0) counts[g] = (counts[g] as number) + 1;
  }
  const rows = new Int32Array(n);
  for (let g = 0; g < models.length; g++) {
    const m = counts[g] as number;
    if (m === 0) continue;
    let k = 0;
    for (let i = 0; i < n; i++) if (rowModel[i] === g) rows[k++] = i;
    const columns = features.map((col) => {
      const sub = new Float64Array(m);
      for (let r = 0; r < m; r++) sub[r] = col[rows[r] as number] as number;
      return sub;
    });
    const model = models[g] as LinregModel;
    const p = predict(model, { rows: m, columns }, options);
    for (let r = 0; r < m; r++) {
      const i = rows[r] as number;
      fit[i] = p.fit[r] as number;
      if (se !== undefined) se[i] = p.se?.[r] as number;
      if (lower !== undefined) lower[i] = p.lower?.[r] as number;
      if (upper !== undefined) upper[i] = p.upper?.[r] as number;
      sigma[i] = model.statistics.sigma;
    }
  }
  const prediction: Prediction =
    se === undefined
      ? { fit }
      : { fit, se, lower: lower as Float64Array, upper: upper as Float64Array };
  return { prediction, sigma };
}
