import { SpecError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { modelToJson, parseModel } from '../../../packages/core/src/model/model-json.js';
import { predict } from '../../../packages/core/src/model/predict.js';
import { studentTQuantile } from '../../../packages/core/src/numerics/inference/index.js';
import { droppedAliasModel, modelOf, threeFeatures } from './model-reference.js';

const EPS = Number.EPSILON;

function expectClose(actual: number, expected: number, tolEps: number, label: string): void {
  const bound = tolEps * EPS * Math.max(Math.abs(expected), 1);
  expect(
    Math.abs(actual - expected) <= bound,
    `${label}: expected ${expected}, got ${actual}, tolerance ${bound}`,
  ).toBe(true);
}

/** Deterministic columns (no randomness needed): a few irregular values per feature. */
function columnsOf(rows: readonly (readonly number[])[]): Float64Array[] {
  return rows[0].map((_, j) => Float64Array.from(rows, (r) => r[j]));
}

describe('predict', () => {
  const model = modelOf(threeFeatures, ['a', 'b', 'c']);
  const newRows = [
    [0, 0, 0],
    [2.5, -1, 4],
    [13, 11, 12],
    [6.5, 5.25, 6],
  ];

  it('fit = Xβ', () => {
    const { fit, se, lower, upper } = predict(model, { rows: 4, columns: columnsOf(newRows) });
    const b = model.coefficients.map((c) => c.estimate);
    newRows.forEach((r, i) => {
      expectClose(fit[i], b[0] + b[1] * r[0] + b[2] * r[1] + b[3] * r[2], 4, `fit[${i}]`);
    });
    expect(se).toBeUndefined();
    expect(lower).toBeUndefined();
    expect(upper).toBeUndefined();
  });

  it('se = σ√(xᵀCx) and the intervals of R predict.lm, with the model or an explicit level', () => {
    for (const level of [undefined, 0.8]) {
      const confidence = predict(
        model,
        { rows: 4, columns: columnsOf(newRows) },
        { interval: 'confidence', level },
      );
      const prediction = predict(
        model,
        { rows: 4, columns: columnsOf(newRows) },
        { interval: 'prediction', level },
      );
      const { sigma, residualDf } = model.statistics;
      const q = -studentTQuantile((1 - (level ?? 0.95)) / 2, residualDf);
      const c = model.covUnscaled;
      newRows.forEach((r, i) => {
        const x = [1, ...r];
        let quad = 0;
        for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) quad += x[j] * c[j][k] * x[k];
        const se = sigma * Math.sqrt(quad);
        expectClose(confidence.se?.[i] ?? Number.NaN, se, 64, `se[${i}]`);
        expectClose(
          confidence.upper?.[i] ?? Number.NaN,
          confidence.fit[i] + q * se,
          64,
          `upper[${i}]`,
        );
        expectClose(
          confidence.lower?.[i] ?? Number.NaN,
          confidence.fit[i] - q * se,
          64,
          `lower[${i}]`,
        );
        const half = q * Math.sqrt(se * se + sigma * sigma);
        expectClose(
          prediction.upper?.[i] ?? Number.NaN,
          prediction.fit[i] + half,
          64,
          `pred upper[${i}]`,
        );
        expectClose(
          prediction.lower?.[i] ?? Number.NaN,
          prediction.fit[i] - half,
          64,
          `pred lower[${i}]`,
        );
        expect(prediction.se?.[i]).toBe(confidence.se?.[i]);
      });
    }
  });

  it('simple regression: se = σ√(1/n + (x₀ − x̄)²/Sxx), prediction adds σ²', () => {
    const x = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const y = [3, 5, 4, 8, 9, 12, 11, 15, 16, 20];
    const simple = modelOf({ x: x.map((v) => [v]), y, intercept: true }, ['x']);
    const x0 = Float64Array.of(-3, 0, 5.5, 10, 25);
    const conf = predict(simple, { rows: 5, columns: [x0] }, { interval: 'confidence' });
    const pred = predict(simple, { rows: 5, columns: [x0] }, { interval: 'prediction' });
    const n = 10;
    const xbar = 5.5;
    const sxx = 82.5;
    const sigma = simple.statistics.sigma;
    // scipy: stats.t.ppf(0.975, 8) = 2.306004135204166
    const q = 2.306004135204166;
    x0.forEach((v, i) => {
      expectClose(conf.fit[i], 0.4 + 1.8 * v, 8, `fit[${i}]`);
      const se = sigma * Math.sqrt(1 / n + (v - xbar) ** 2 / sxx);
      expectClose(conf.se?.[i] ?? Number.NaN, se, 16, `se[${i}]`);
      expectClose(conf.upper?.[i] ?? Number.NaN, conf.fit[i] + q * se, 64, `upper[${i}]`);
      const pse = sigma * Math.sqrt(1 + 1 / n + (v - xbar) ** 2 / sxx);
      expectClose(pred.lower?.[i] ?? Number.NaN, pred.fit[i] - q * pse, 64, `pred lower[${i}]`);
    });
  });

  it('a column dropped as aliased contributes nothing, even where it is NaN (as R)', () => {
    const model = droppedAliasModel();
    const x1 = Float64Array.of(0, 1, 7);
    const x2 = Float64Array.of(Number.NaN, 100, -3);
    const out = predict(model, { rows: 3, columns: [x1, x2] }, { interval: 'confidence' });
    const [b0, b1] = model.coefficients.map((c) => c.estimate);
    const c = model.covUnscaled;
    for (let i = 0; i < 3; i++) {
      expectClose(out.fit[i], b0 + b1 * x1[i], 4, `fit[${i}]`);
      const quad = c[0][0] + 2 * c[0][1] * x1[i] + c[1][1] * x1[i] ** 2;
      expectClose(
        out.se?.[i] ?? Number.NaN,
        model.statistics.sigma * Math.sqrt(quad),
        32,
        `se[${i}]`,
      );
    }
  });

  it('a parsed model predicts the same bits as the built one', () => {
    const parsed = parseModel(modelToJson(model), 'model.json');
    const batch = { rows: 4, columns: columnsOf(newRows) };
    const a = predict(model, batch, { interval: 'prediction' });
    const b = predict(parsed, batch, { interval: 'prediction' });
    expect(b).toEqual(a);
  });

  it('reads only the first `rows` values and validates the batch', () => {
    const long = columnsOf([...newRows, [1e300, 1e300, 1e300]]);
    expect(Array.from(predict(model, { rows: 4, columns: long }).fit)).toEqual(
      Array.from(predict(model, { rows: 4, columns: columnsOf(newRows) }).fit),
    );
    expect(() => predict(model, { rows: 1, columns: [new Float64Array(1)] })).toThrow(SpecError);
    expect(() => predict(model, { rows: 1, columns: [new Float64Array(1)] })).toThrow(
      /expected 3 feature columns \(a, b, c\), got 1/,
    );
    const short = columnsOf(newRows);
    expect(() => predict(model, { rows: 5, columns: short })).toThrow(
      /^a: column has 4 values for 5 rows$/,
    );
    expect(() =>
      predict(model, { rows: 4, columns: short }, { interval: 'confidence', level: 95 }),
    ).toThrow(/level: expected a number in \(0, 1\)/);
    const bad = { interval: 'none' } as unknown as { interval: 'confidence' };
    expect(() => predict(model, { rows: 4, columns: short }, bad)).toThrow(
      /^interval: expected 'confidence' or 'prediction', got 'none'$/,
    );
    expect(
      predict(model, {
        rows: 0,
        columns: [new Float64Array(0), new Float64Array(0), new Float64Array(0)],
      }).fit,
    ).toHaveLength(0);
  });
});

describe('predict (property, fixed seed)', () => {
  it('fit equals the row-by-row dot product for any β and x, with and without an intercept', () => {
    const base = modelOf(threeFeatures, ['a', 'b', 'c']);
    const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(
        fc.array(finite, { minLength: 4, maxLength: 4 }),
        fc.array(fc.array(finite, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (beta, rows, intercept) => {
          const names = intercept ? base.coefficients.map((c) => c.name) : ['a', 'b', 'c'];
          const model = {
            ...base,
            intercept,
            coefficients: names.map((name, j) => ({
              ...base.coefficients[0],
              name,
              estimate: beta[j],
            })),
          };
          const { fit } = predict(model, { rows: rows.length, columns: columnsOf(rows) });
          rows.forEach((r, i) => {
            const x = intercept ? [1, ...r] : r;
            let dot = 0;
            let scale = 0;
            x.forEach((v, j) => {
              dot += v * beta[j];
              scale += Math.abs(v * beta[j]);
            });
            expect(Math.abs(fit[i] - dot)).toBeLessThanOrEqual(8 * EPS * scale);
          });
        },
      ),
      { seed: 20261129, numRuns: 200 },
    );
  });
});
