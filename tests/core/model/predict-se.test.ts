/**
 * Prediction standard errors and intervals on ill-conditioned fits (longley
 * with a quadratic time trend: scaled κ ≈ 1e6, raw κ ≈ 8e11), through the
 * real fit from the CSV, against R's predict.lm (fixtures written by
 * tests/fixtures/r/predict-se.R; R is not needed to run this file) and
 * against the exact se.fit of the same doubles (exact-prediction.ts).
 *
 * Measured here (the default --refine auto, which refines these fits once,
 * so the factor is the double-double Cholesky factor of the pass's Gram,
 * rounded): se.fit is correct to 10.63 / 10.51 / 10.63 digits against the
 * exact answer (R: 10.78 / 10.34 / 10.78) and agrees with R to 10.49 /
 * 10.12 / 10.49; from the raw-units covariance (`covUnscaled`, older model
 * files) it is correct to 5.17 / 4.93 / 5.17. An entrywise-rounded factor
 * moves ‖R⁻ᵀx‖² by up to κ_s·ε (κ_s ≈ 1e6 here), so ~10.5 is the double
 * floor that R shares.
 */
import { readFile } from 'node:fs/promises';
import {
  createPool,
  fit as fitFiles,
  type LinregModel,
  modelToJson,
  parseModel,
  predict,
  type WorkerPool,
} from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture } from '../support/r-fixtures.js';
import { exactSeFit } from './exact-prediction.js';

interface RPrediction {
  readonly name: string;
  readonly features: string[];
  readonly weights: string | null;
  readonly rank: number;
  readonly coefficients: (number | null)[];
  readonly sigma: number;
  readonly df: number;
  readonly newdata: Record<string, number[]>;
  readonly fit: number[];
  readonly seFit: number[];
  readonly confidence: { readonly lower: number[]; readonly upper: number[] };
  readonly prediction: { readonly lower: number[]; readonly upper: number[] };
}

const CASES = ['quadratic', 'weighted', 'aliased'] as const;

let pool: WorkerPool | undefined;
beforeAll(() => {
  requireBuild();
  pool = createPool({ workers: 1 });
});
afterAll(async () => {
  await pool?.destroy();
});

async function fitCase(ref: RPrediction, solver: 'qr' | 'normal'): Promise<LinregModel> {
  const result = await fitFiles(
    {
      inputs: [fixturePath(`predict-se-${ref.name}.csv`)],
      target: 'Employed',
      features: ref.features,
      weights: ref.weights ?? undefined,
      aliased: 'drop',
      solver,
    },
    { pool },
  );
  return result.model;
}

/** The fixture's CSV columns, parsed as the reader would (decimal → nearest double). */
async function csvColumns(name: string): Promise<Record<string, Float64Array>> {
  const [head, ...lines] = (await readFile(fixturePath(`predict-se-${name}.csv`), 'utf8'))
    .trim()
    .split('\n');
  const names = (head as string).split(',');
  const rows = lines.map((l) => l.split(',').map(Number));
  return Object.fromEntries(
    names.map((n, j) => [n, Float64Array.from(rows, (r) => r[j] as number)]),
  );
}

const minDigits = (ours: ArrayLike<number>, theirs: readonly number[]): number =>
  Math.min(...theirs.map((t, i) => Math.min(digits(ours[i] as number, t), 15)));

describe("prediction standard errors against R's predict.lm and the exact answer", () => {
  const runs = CASES.flatMap((name) =>
    (['qr', 'normal'] as const).map((solver) => [name, solver] as const),
  );
  it.each(runs)(
    '%s (%s): se.fit ≥ 10 digits of R and of the truth; fit and intervals too',
    async (name, solver) => {
      const ref = await readFixture<RPrediction>(`predict-se-${name}.json`);
      const model = await fitCase(ref, solver);
      expect(model.rank).toBe(ref.rank);
      const rows = ref.fit.length;
      const columns = model.features.map((f) => Float64Array.from(ref.newdata[f] as number[]));
      const confidence = predict(model, { rows, columns }, { interval: 'confidence' });
      const prediction = predict(model, { rows, columns }, { interval: 'prediction' });
      const se = confidence.se as Float64Array;

      const data = await csvColumns(name);
      const kept = ref.features.filter((_, j) => ref.coefficients[j + 1] !== null);
      const exact = exactSeFit({
        design: [
          new Float64Array(data.Employed?.length ?? 0).fill(1),
          ...kept.map((f) => data[f] as Float64Array),
        ],
        y: data.Employed as Float64Array,
        w: ref.weights === null ? undefined : data[ref.weights],
        newRows: ref.fit.map((_, i) => [
          1,
          ...kept.map((f) => (ref.newdata[f] as number[])[i] as number),
        ]),
      });
      const oursVsR = minDigits(se, ref.seFit);
      const oursVsExact = minDigits(se, exact);
      const rVsExact = minDigits(Float64Array.from(ref.seFit), exact);
      console.log(
        `${name} (${solver}): se.fit digits — ours vs R ${oursVsR.toFixed(2)}, ours vs exact ${oursVsExact.toFixed(2)}, R vs exact ${rVsExact.toFixed(2)}`,
      );
      expect(oursVsR).toBeGreaterThanOrEqual(10);
      expect(oursVsExact).toBeGreaterThanOrEqual(10);
      expect(minDigits(confidence.fit, ref.fit)).toBeGreaterThanOrEqual(10);
      expect(
        minDigits(confidence.lower as Float64Array, ref.confidence.lower),
      ).toBeGreaterThanOrEqual(10);
      expect(
        minDigits(confidence.upper as Float64Array, ref.confidence.upper),
      ).toBeGreaterThanOrEqual(10);
      expect(
        minDigits(prediction.lower as Float64Array, ref.prediction.lower),
      ).toBeGreaterThanOrEqual(10);
      expect(
        minDigits(prediction.upper as Float64Array, ref.prediction.upper),
      ).toBeGreaterThanOrEqual(10);

      // The factor survives the file; a model without it (an older file) falls back to covUnscaled.
      const back = parseModel(modelToJson(model));
      const again = predict(back, { rows, columns }, { interval: 'confidence' }).se as Float64Array;
      expect(Array.from(again)).toEqual(Array.from(se));
      const { triangularFactor: _dropped, ...old } = back;
      const fallback = predict(old as LinregModel, { rows, columns }, { interval: 'confidence' });
      console.log(
        `${name} (${solver}): from covUnscaled: ${minDigits(fallback.se as Float64Array, exact).toFixed(2)} digits`,
      );
    },
  );
});
