/**
 * The model's `triangularFactor` (an optional field): which fits carry it,
 * that it survives the file and is validated on reading, and that predict's
 * forward substitution over blocks of rows gives the covariance's answer on
 * well-conditioned data, with results independent of how rows are batched.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../packages/core/src/model/build-model.js';
import type { LinregModel } from '../../../packages/core/src/model/model.js';
import { modelToJson, parseModel } from '../../../packages/core/src/model/model-json.js';
import { predict } from '../../../packages/core/src/model/predict.js';
import { computeInference } from '../../../packages/core/src/numerics/inference/index.js';
import { type SolveOptions, solve } from '../../../packages/core/src/numerics/solve/index.js';
import { type Data, factorOf } from '../support/factor-of.js';
import { FIXED_CLOCK } from './model-reference.js';

/** 40 rows, x2 = x0 + 2·x1 exactly (small integers), weights in (0, 2]. */
function data(): Data {
  const n = 40;
  const x0 = Float64Array.from({ length: n }, (_, i) => ((i * 7) % 11) - 5);
  const x1 = Float64Array.from({ length: n }, (_, i) => ((i * 5) % 13) / 4);
  const x2 = Float64Array.from({ length: n }, (_, i) => (x0[i] as number) + 2 * (x1[i] as number));
  const x3 = Float64Array.from({ length: n }, (_, i) => Math.sin(i) * 3);
  const y = Float64Array.from(
    { length: n },
    (_, i) =>
      1 + (x0[i] as number) - 0.5 * (x1[i] as number) + 0.25 * (x3[i] as number) + Math.cos(3 * i),
  );
  const w = Float64Array.from({ length: n }, (_, i) => 0.25 + ((i * 3) % 8) / 4);
  return { intercept: true, x: [x0, x1, x2, x3], y, w };
}

const FEATURES = ['x0', 'x1', 'x2', 'x3'];

function modelFor(d: Data, options: SolveOptions): LinregModel {
  const factor = factorOf(d);
  const solution = solve(factor, options);
  const inference = computeInference(factor, solution);
  return buildModel({
    factor,
    solution,
    inference,
    names: { target: 'y', features: FEATURES, weights: 'w' },
    rows: { read: d.y.length, used: d.y.length, dropped: 0 },
    solver: 'qr',
    now: FIXED_CLOCK,
  });
}

/** New rows on which x2 keeps its relation (as predict.lm assumes for a dropped column). */
function newColumns(rows: number): Float64Array[] {
  const x0 = Float64Array.from({ length: rows }, (_, i) => (i % 17) - 8.5);
  const x1 = Float64Array.from({ length: rows }, (_, i) => ((i * 3) % 7) / 2);
  const x2 = Float64Array.from(
    { length: rows },
    (_, i) => (x0[i] as number) + 2 * (x1[i] as number),
  );
  const x3 = Float64Array.from({ length: rows }, (_, i) => Math.cos(i / 3));
  return [x0, x1, x2, x3];
}

const withoutFactor = (m: LinregModel): LinregModel => {
  const { triangularFactor: _factor, ...rest } = m;
  return rest;
};

describe('the triangular factor in the model', () => {
  it('is the kept columns under drop, absent under min-norm with aliases and for ridge', () => {
    const d = data();
    const drop = modelFor(d, { aliased: 'drop' });
    expect(drop.triangularFactor?.columns).toEqual(['(Intercept)', 'x0', 'x1', 'x3']);
    const f = drop.triangularFactor;
    if (f === undefined) throw new Error('no factor');
    // Unit-norm columns, non-negative diagonal, zeros below it.
    for (let j = 0; j < 4; j++) {
      let ss = 0;
      for (let i = 0; i < 4; i++) ss += (f.r[i]?.[j] as number) ** 2;
      expect(Math.abs(ss - 1)).toBeLessThan(1e-14);
      expect(f.r[j]?.[j]).toBeGreaterThan(0);
      for (let i = j + 1; i < 4; i++) expect(f.r[i]?.[j]).toBe(0);
    }
    // The intercept's column norm is √Σw.
    const sw = (d.w as Float64Array).reduce((a, b) => a + b, 0);
    expect(Math.abs((f.scales[0] as number) - Math.sqrt(sw))).toBeLessThan(1e-14 * Math.sqrt(sw));
    expect(modelFor(d, { aliased: 'min-norm' }).triangularFactor).toBeUndefined();
    expect(modelFor(d, { ridge: 0.5 }).triangularFactor).toBeUndefined();
    const full = { ...d, x: [d.x[0], d.x[1], d.x[3]] as Float64Array[] };
    const factor = factorOf(full);
    const solution = solve(factor);
    expect(solution.predictionFactor?.columns).toEqual([0, 1, 2, 3]);
  });

  it('gives the covariance answer on a well-conditioned fit (drop), whatever the batching', () => {
    const model = modelFor(data(), { aliased: 'drop' });
    const rows = 2500;
    const columns = newColumns(rows);
    const a = predict(model, { rows, columns }, { interval: 'prediction' });
    const b = predict(withoutFactor(model), { rows, columns }, { interval: 'prediction' });
    for (let i = 0; i < rows; i++) {
      const sa = a.se?.[i] as number;
      expect(Math.abs(sa - (b.se?.[i] as number))).toBeLessThan(1e-12 * sa);
    }
    // Rows 1000..1999 alone: the same bits as inside the whole call (blocks are per call).
    const part = predict(
      model,
      { rows: 1000, columns: columns.map((c) => c.subarray(1000, 2000)) },
      { interval: 'prediction' },
    );
    expect(Array.from(part.se as Float64Array)).toEqual(
      Array.from((a.se as Float64Array).subarray(1000, 2000)),
    );
    expect(Array.from(part.lower as Float64Array)).toEqual(
      Array.from((a.lower as Float64Array).subarray(1000, 2000)),
    );
  });

  it('survives the file bit for bit, and an older file without it still predicts', () => {
    const model = modelFor(data(), { aliased: 'drop' });
    const back = parseModel(modelToJson(model));
    expect(back.triangularFactor).toEqual(model.triangularFactor);
    const json = JSON.parse(modelToJson(model)) as Record<string, unknown>;
    delete json.triangularFactor;
    const old = parseModel(JSON.stringify(json));
    expect(old.triangularFactor).toBeUndefined();
    const se = predict(old, { rows: 3, columns: newColumns(3) }, { interval: 'confidence' }).se;
    expect(Number.isFinite(se?.[2])).toBe(true);
  });

  const edits: [string, (f: Record<string, unknown[]>) => void, RegExp][] = [
    [
      'an unknown column',
      (f) => (f.columns[1] = 'zz'),
      /columns\[1\]: 'zz' is not a design column/,
    ],
    ['columns out of order', (f) => f.columns.reverse(), /columns\[1\]: .* out of design order/],
    ['a scale too few', (f) => f.scales.pop(), /scales: expected 4 values, got 3/],
    ['a zero scale', (f) => (f.scales[2] = 0), /scales\[2\]: expected a positive number/],
    ['a row too few', (f) => f.r.pop(), /r: expected 4 rows, got 3/],
    [
      'a nonzero below the diagonal',
      (f) => ((f.r[2] as number[])[0] = 1e-3),
      /r\[2\]\[0\]: expected 0 below/,
    ],
    ['a zero diagonal', (f) => ((f.r[1] as number[])[1] = 0), /r\[1\]\[1\]: .*singular/],
    [
      'a null entry',
      (f) => ((f.r[0] as unknown[])[3] = null),
      /r\[0\]\[3\]: expected a finite number/,
    ],
  ];
  it.each(edits)('refuses %s, naming the field', (_label, edit, message) => {
    const json = JSON.parse(modelToJson(modelFor(data(), { aliased: 'drop' }))) as {
      triangularFactor: Record<string, unknown[]>;
    };
    edit(json.triangularFactor);
    expect(() => parseModel(JSON.stringify(json), 'm.json')).toThrow(
      new RegExp(`m\\.json: triangularFactor\\.${message.source}`),
    );
  });
});
