import { ModelFormatError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../packages/core/src/model/build-model.js';
import { INTERCEPT_NAME, type LinregModel } from '../../../packages/core/src/model/model.js';
import { modelToJson, parseModel } from '../../../packages/core/src/model/model-json.js';
import { relationText } from '../../../packages/core/src/model/relation-text.js';
import { computeInference } from '../../../packages/core/src/numerics/inference/index.js';
import { referenceFactor, referenceSolution } from '../numerics/inference/reference.js';
import { droppedAliasModel, modelOf, threeFeatures } from './model-reference.js';

describe('buildModel', () => {
  it('assembles names, provenance, coefficients and statistics in design order', () => {
    const factor = referenceFactor(threeFeatures);
    const solution = referenceSolution(threeFeatures);
    const inference = computeInference(factor, solution);
    const model = modelOf(threeFeatures, ['a', 'b', 'c'], { weights: 'w' });
    expect(model.format).toBe('linreg-model');
    expect(model.version).toBe(2);
    expect(model.created).toBe('2026-01-02T03:04:05.678Z');
    expect(model.target).toBe('y');
    expect(model.features).toEqual(['a', 'b', 'c']);
    expect(model.weights).toBe('w');
    expect(model.solver).toBe('qr');
    expect(model.aliasedPolicy).toBe('min-norm');
    expect(model.ridge).toEqual({ lambda: 0, standardize: false });
    expect(model.rank).toBe(4);
    expect(model.coefficients.map((c) => c.name)).toEqual([INTERCEPT_NAME, 'a', 'b', 'c']);
    model.coefficients.forEach((c, j) => {
      expect(c.estimate).toBe(inference.estimate[j]);
      expect(c.stdError).toBe(inference.stdError[j]);
      expect(c.t).toBe(inference.tValue[j]);
      expect(c.p).toBe(inference.pValue[j]);
      expect(c.ciLow).toBe(inference.ciLow[j]);
      expect(c.ciHigh).toBe(inference.ciHigh[j]);
      expect(c.aliased).toBe(false);
    });
    expect(model.covUnscaled).toHaveLength(4);
    expect(model.covUnscaled[1][2]).toBe(solution.covUnscaled[1 * 4 + 2]);
    expect(model.statistics.rSquared).toBe(inference.rSquared);
    expect(model.statistics.fPValue).toBe(inference.fPValue);
    expect(model.statistics.rss).toBe(solution.rss);
    expect(model.statistics.logLikDf).toBe(5);
    expect(model.rows).toEqual({ read: 14, used: 12, droppedMissing: 2, positiveWeight: 12 });
    expect(model.gcv).toBeNull();
    expect(model.aliased).toEqual([]);
    expect(model.warnings).toEqual([]);
  });

  it('renders aliased columns with their relation, and NaN for the dropped coefficient', () => {
    const model = droppedAliasModel();
    expect(model.aliased).toEqual([
      {
        name: 'x2',
        terms: [
          { name: 'x1', coef: 1 },
          { name: INTERCEPT_NAME, coef: 1 },
        ],
        relation: 'x2 = x1 + 1·(Intercept)',
      },
    ]);
    expect(model.coefficients[2].aliased).toBe(true);
    expect(model.coefficients[2].estimate).toBeNaN();
    expect(model.rank).toBe(2);
    expect(model.aliasedPolicy).toBe('drop');
  });

  it('adds the ridge and perfect-fit warnings, and carries the GCV curve as arrays', () => {
    const factor = referenceFactor(threeFeatures);
    const base = referenceSolution(threeFeatures);
    const solution = {
      ...base,
      lambda: 0.5,
      gcv: { lambdas: Float64Array.of(0.1, 0.5, 1), scores: Float64Array.of(3, 2, 4), chosen: 0.5 },
    };
    const model = buildModel({
      factor,
      solution,
      inference: computeInference(factor, solution),
      names: { target: 'y', features: ['a', 'b', 'c'] },
      rows: { read: 12, used: 12, dropped: 0 },
      solver: 'normal',
    });
    expect(model.weights).toBeNull();
    expect(model.gcv).toEqual({ lambdas: [0.1, 0.5, 1], scores: [3, 2, 4], chosen: 0.5 });
    expect(model.warnings.some((w) => w.includes('approximate'))).toBe(true);
    expect(Number.isNaN(Date.parse(model.created))).toBe(false);

    const exact = { x: [[1], [2], [3], [4]], y: [3, 5, 7, 9], intercept: true };
    const perfect = modelOf(exact, ['x']);
    expect(perfect.warnings.some((w) => w.startsWith('essentially perfect fit'))).toBe(true);
  });

  it('rejects names that do not match the factor', () => {
    const factor = referenceFactor(threeFeatures);
    const solution = referenceSolution(threeFeatures);
    const build = () =>
      buildModel({
        factor,
        solution,
        inference: computeInference(factor, solution),
        names: { target: 'y', features: ['a', 'b'] },
        rows: { read: 12, used: 12, dropped: 0 },
        solver: 'qr',
      });
    expect(build).toThrow(ModelFormatError);
    expect(build).toThrow('buildModel: names.features: 2 names for 3 feature columns');
  });
});

describe('relationText', () => {
  const cases: readonly [string, readonly { name: string; coef: number }[], string][] = [
    [
      'x2',
      [
        { name: 'x1', coef: 1 },
        { name: '(Intercept)', coef: 1 },
      ],
      'x2 = x1 + 1·(Intercept)',
    ],
    [
      'x3',
      [
        { name: 'x1', coef: 0.5 },
        { name: 'x2', coef: -2 },
      ],
      'x3 = 0.5·x1 - 2·x2',
    ],
    [
      'z',
      [
        { name: 'x1', coef: -1 },
        { name: '(Intercept)', coef: -3.25 },
      ],
      'z = - x1 - 3.25·(Intercept)',
    ],
    [
      'z',
      [
        { name: 'x1', coef: 0.9999999999997 },
        { name: 'x2', coef: 0 },
      ],
      'z = x1',
    ],
    [
      'z',
      [
        { name: 'x1', coef: 2 },
        { name: 'x2', coef: 1.5e-17 },
      ],
      'z = 2·x1 + 1.5e-17·x2',
    ],
    ['z', [], 'z = 0'],
    [
      'x2',
      [
        { name: '(Intercept)', coef: 1 },
        { name: 'x1', coef: 1 },
      ],
      'x2 = x1 + 1·(Intercept)',
    ],
    ['z', [{ name: 'x', coef: 1 / 3 }], 'z = 0.333333·x'],
  ];
  for (const [name, terms, text] of cases) {
    it(text, () => expect(relationText(name, terms)).toBe(text));
  }
});

describe('model JSON', () => {
  it('round-trips: parse(toJson(m)) deep-equals m, and re-serializes to the same text', () => {
    for (const model of [modelOf(threeFeatures, ['a', 'b', 'c']), droppedAliasModel()]) {
      const json = modelToJson(model);
      const parsed = parseModel(json, 'model.json');
      // The dropped model's condition number is +Infinity, written as null, read back NaN (documented).
      const expected: LinregModel = Number.isFinite(model.statistics.conditionNumber)
        ? model
        : { ...model, statistics: { ...model.statistics, conditionNumber: Number.NaN } };
      expect(parsed).toEqual(expected);
      expect(modelToJson(parsed)).toBe(json);
    }
  });

  it('round-trips the SGD report (optional field), with NaN where the check did not run', () => {
    const sgd = {
      optimizer: 'adam' as const,
      status: 'max-epochs' as const,
      epochs: 2,
      tol: 1e-6,
      learningRate: 0.01,
      batchSize: 64,
      estimate: 'epoch-average' as const,
      gradientNorm: 3.5e-4,
      checked: false,
      relativeError: Number.NaN,
      history: [
        {
          epoch: 1,
          learningRate: 0.01,
          meanLoss: 0.5,
          change: Number.NaN,
          relativeError: Number.NaN,
        },
        {
          epoch: 2,
          learningRate: 0.01,
          meanLoss: Number.NaN,
          change: 0.02,
          relativeError: Number.NaN,
        },
      ],
    };
    const model: LinregModel = { ...modelOf(threeFeatures, ['a', 'b', 'c']), sgd };
    const json = modelToJson(model);
    expect(JSON.parse(json).sgd.relativeError).toBeNull();
    expect(parseModel(json)).toEqual(model);
    const bad = JSON.parse(json);
    bad.sgd.status = 'done';
    expect(() => parseModel(JSON.stringify(bad), 'm.json')).toThrow(/^m\.json: sgd\.status: /);
    expect(parseModel(modelToJson(modelOf(threeFeatures, ['a', 'b', 'c']))).sgd).toBeUndefined();
  });

  it('writes strict JSON: NaN and Infinity become null', () => {
    const json = modelToJson(droppedAliasModel());
    expect(json).not.toMatch(/NaN|Infinity/);
    const raw = JSON.parse(json);
    expect(raw.coefficients[2].estimate).toBeNull();
    expect(raw.coefficients[2].stdError).toBeNull();
    expect(raw.covUnscaled[2]).toEqual([null, null, null]);
    expect(raw.statistics.conditionNumber).toBeNull();
    expect(raw.aliased[0].relation).toBe('x2 = x1 + 1·(Intercept)');
    expect(json.endsWith('}\n')).toBe(true);
  });

  it('reads a version 1 file (no terms), and refuses terms in one', () => {
    const v1 = JSON.parse(modelToJson(modelOf(threeFeatures, ['a', 'b', 'c'])));
    v1.version = 1;
    const read = parseModel(JSON.stringify(v1), 'old.json');
    expect(read.version).toBe(2);
    expect(read.features).toEqual(['a', 'b', 'c']);
    expect(read.terms).toBeUndefined();
    v1.terms = { formula: 'y ~ a' };
    expect(() => parseModel(JSON.stringify(v1), 'old.json')).toThrow(
      /^old\.json: terms: a version 1 model has no terms$/,
    );
  });

  describe('parseModel names the file and the field on bad input', () => {
    const good = JSON.parse(modelToJson(modelOf(threeFeatures, ['a', 'b', 'c'])));
    // biome-ignore lint/suspicious/noExplicitAny: the cases edit arbitrary paths of a parsed JSON document
    const mutate = (edit: (o: Record<string, any>) => void): string => {
      const copy = structuredClone(good);
      edit(copy);
      return JSON.stringify(copy);
    };
    /** A number JSON.stringify cannot write (`1e999`): set MARK where it goes, then swap the text. */
    const MARK = 123456.75;
    // biome-ignore lint/suspicious/noExplicitAny: as mutate
    const numberText = (edit: (o: Record<string, any>) => void, text: string): string => {
      const json = mutate(edit);
      expect(json.split(String(MARK))).toHaveLength(2);
      return json.replace(String(MARK), text);
    };
    const cases: readonly [string, string, string, RegExp][] = [
      ['not JSON', '{"format":', '', /^m\.json: not valid JSON/],
      ['another format', mutate((o) => (o.format = 'other')), 'format', /not a linreg model/],
      [
        'a newer version',
        mutate((o) => (o.version = 3)),
        'version',
        /version 3 is newer than this reader \(2\)/,
      ],
      ['an older version', mutate((o) => (o.version = 0)), 'version', /unsupported version 0/],
      [
        'a string standard error',
        mutate((o) => (o.coefficients[1].stdError = '0.1')),
        'coefficients[1].stdError',
        /^m\.json: coefficients\[1\]\.stdError: expected a number or null, got '0\.1'$/,
      ],
      [
        'a wrong coefficient name',
        mutate((o) => (o.coefficients[2].name = 'zz')),
        'coefficients[2].name',
        /expected 'b', got 'zz'/,
      ],
      [
        'too few coefficients',
        mutate((o) => o.coefficients.pop()),
        'coefficients',
        /expected 4 entries/,
      ],
      [
        'a short covariance row',
        mutate((o) => o.covUnscaled[3].pop()),
        'covUnscaled[3]',
        /expected 4 values, got 3/,
      ],
      [
        'a missing statistic',
        mutate((o) => delete o.statistics.aic),
        'statistics.aic',
        /the field is missing/,
      ],
      [
        'an unknown solver',
        mutate((o) => (o.solver = 'lsqr')),
        'solver',
        /expected one of 'qr', 'normal', 'sgd', got 'lsqr'/,
      ],
      [
        'a fractional row count',
        mutate((o) => (o.rows.used = 1.5)),
        'rows.used',
        /non-negative integer/,
      ],
      ['a level of 1', mutate((o) => (o.level = 1)), 'level', /in \(0, 1\)/],
      ['rank above m', mutate((o) => (o.rank = 5)), 'rank', /exceeds the 4 design columns/],
      [
        'an alias term naming no column',
        mutate(
          (o) => (o.aliased = [{ name: 'a', terms: [{ name: 'q', coef: 1 }], relation: 'a = q' }]),
        ),
        'aliased[0].terms[0].name',
        /'q' is not a design column/,
      ],
      ['a root array', '[]', '(root)', /expected an object, got an array/],
      // JSON.parse reads a number beyond the double range as ±Infinity; the file writes those as null.
      [
        'a coefficient of 1e999',
        numberText((o) => (o.coefficients[1].estimate = MARK), '1e999'),
        'coefficients[1].estimate',
        /^m\.json: coefficients\[1\]\.estimate: expected a finite number or null, got Infinity/,
      ],
      [
        'a covariance entry of -1e999',
        numberText((o) => (o.covUnscaled[2][1] = MARK), '-1e999'),
        'covUnscaled[2][1]',
        /expected a finite number or null, got -Infinity/,
      ],
      [
        'a statistic of 1e999',
        numberText((o) => (o.statistics.sigma = MARK), '1e999'),
        'statistics.sigma',
        /expected a finite number or null/,
      ],
      [
        'a ridge lambda of 1e999',
        numberText((o) => (o.ridge.lambda = MARK), '1e999'),
        'ridge.lambda',
        /expected a finite number, got Infinity/,
      ],
    ];
    for (const [label, text, field, message] of cases) {
      it(label, () => {
        let caught: unknown;
        try {
          parseModel(text, 'm.json');
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(ModelFormatError);
        const error = caught as ModelFormatError;
        expect(error.source).toBe('m.json');
        expect(error.field).toBe(field);
        expect(error.message).toMatch(message);
        expect(error.message.startsWith('m.json: ')).toBe(true);
      });
    }
  });

  it('ignores unknown fields (forward-compatible additions) and defaults the source name', () => {
    const raw = JSON.parse(modelToJson(droppedAliasModel()));
    raw.futureField = { anything: true };
    expect(parseModel(JSON.stringify(raw)).coefficients[2].estimate).toBeNaN();
    expect(() => parseModel('nope')).toThrow(/^<string>: not valid JSON/);
  });
});

describe('model JSON round trip (property, fixed seed)', () => {
  it('any finite-or-NaN numbers in the coefficients, covariance and statistics survive', () => {
    const base = modelOf(threeFeatures, ['a', 'b', 'c']);
    // −0 is written as 0 by JSON itself; the file does not distinguish them.
    const value = fc.double({ noDefaultInfinity: true }).map((v) => (Object.is(v, -0) ? 0 : v));
    const arbitraryModel = fc
      .record({
        coefs: fc.array(fc.array(value, { minLength: 7, maxLength: 7 }), {
          minLength: 4,
          maxLength: 4,
        }),
        cov: fc.array(fc.array(value, { minLength: 4, maxLength: 4 }), {
          minLength: 4,
          maxLength: 4,
        }),
        stats: fc.array(value, { minLength: 17, maxLength: 17 }),
        aliased: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        name: fc.string(),
      })
      .map(
        ({ coefs, cov, stats, aliased, name }): LinregModel => ({
          ...base,
          target: name,
          coefficients: base.coefficients.map((c, j) => ({
            name: c.name,
            estimate: coefs[j][0],
            stdError: coefs[j][1],
            t: coefs[j][2],
            p: coefs[j][3],
            ciLow: coefs[j][4],
            ciHigh: coefs[j][5],
            vif: coefs[j][6],
            aliased: aliased[j],
          })),
          covUnscaled: cov,
          statistics: Object.fromEntries(
            Object.keys(base.statistics).map((key, i) => [key, stats[i]]),
          ) as unknown as LinregModel['statistics'],
        }),
      );
    fc.assert(
      fc.property(arbitraryModel, (model) => {
        const json = modelToJson(model);
        expect(parseModel(json, 'p.json')).toEqual(model);
        expect(modelToJson(parseModel(json))).toBe(json);
      }),
      { seed: 20261129, numRuns: 200 },
    );
  });
});
