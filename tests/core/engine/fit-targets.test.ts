/**
 * Several targets in one pass (fitTargets, R's mlm): each target's
 * coefficients, SE, t, p, sigma, R², adjusted R² and F against R's
 * summary(lm(cbind(…) ~ …)) (fixtures written by tests/fixtures/r/mlm.R; R is
 * not needed to run this file), equal to a fit of that target alone on the
 * same rows, for both solvers and any worker count; rows missing any target
 * dropped for all; the options refused with one line; the model document's
 * round trip.
 */
import { join } from 'node:path';
import {
  createPool,
  fit as fitOne,
  fitTargets,
  type LinregModel,
  memorySource,
  modelTargetsOf,
  modelTargetsToJson,
  parseModelTargets,
  SpecError,
  targetsOf,
  type WorkerPool,
} from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture } from '../support/r-fixtures.js';

interface RResponse {
  readonly response: string;
  readonly names: string[];
  readonly coefficients: number[];
  readonly se: number[];
  readonly t: number[];
  readonly p: number[];
  readonly sigma: number;
  readonly r2: number;
  readonly adjR2: number;
  readonly F: number;
  readonly df1: number;
  readonly df2: number;
}
interface RReference {
  readonly formula: string;
  readonly weights: boolean;
  readonly n: number;
  readonly responses: RResponse[];
}

const DATA = fixturePath('mlm-data.csv');
const MIN_DIGITS = 10;

let pool: WorkerPool | undefined;
beforeAll(() => {
  requireBuild();
  pool = createPool({ workers: 2 });
});
afterAll(async () => {
  await pool?.destroy();
});

/** The least digits of agreement over a vector. */
function agreement(ours: readonly number[], theirs: readonly number[]): number {
  expect(ours.length).toBe(theirs.length);
  return Math.min(...theirs.map((v, j) => digits(ours[j] as number, v)));
}

function expectMatchesR(model: LinregModel, r: RResponse): void {
  expect(model.target).toBe(r.response);
  expect(model.coefficients.map((c) => c.name)).toEqual(r.names);
  const c = model.coefficients;
  expect(
    agreement(
      c.map((x) => x.estimate),
      r.coefficients,
    ),
  ).toBeGreaterThanOrEqual(MIN_DIGITS);
  expect(
    agreement(
      c.map((x) => x.stdError),
      r.se,
    ),
  ).toBeGreaterThanOrEqual(MIN_DIGITS);
  expect(
    agreement(
      c.map((x) => x.t),
      r.t,
    ),
  ).toBeGreaterThanOrEqual(MIN_DIGITS);
  expect(
    agreement(
      c.map((x) => x.p),
      r.p,
    ),
  ).toBeGreaterThanOrEqual(MIN_DIGITS);
  const s = model.statistics;
  expect(
    agreement([s.sigma, s.rSquared, s.adjRSquared, s.fStatistic], [r.sigma, r.r2, r.adjR2, r.F]),
  ).toBeGreaterThanOrEqual(MIN_DIGITS);
  expect([s.fDf1, s.fDf2]).toEqual([r.df1, r.df2]);
}

const CASES = [
  { name: 'plain', spec: { formula: 'cbind(y1, y2, y3) ~ x1 + x2' } },
  { name: 'plain', spec: { target: 'y1,y2,y3', features: ['x1', 'x2'] } },
  { name: 'formula', spec: { formula: 'cbind(y1, y2, log(y3)) ~ x1 + x2 * g' } },
  { name: 'weighted', spec: { target: 'y1,y2,y3', features: ['x1', 'x2'], weights: 'w' } },
  { name: 'weighted', spec: { formula: 'cbind(y1, y2, y3) ~ x1 + x2', weights: 'w' } },
  { name: 'offset', spec: { formula: 'cbind(y1, log(y3)) ~ x1 + g + offset(log(w))' } },
] as const;

describe('fitTargets against R (summary of an mlm)', () => {
  for (const { name, spec } of CASES) {
    for (const solver of ['qr', 'normal'] as const) {
      it(`${name}: ${JSON.stringify(spec)}, solver ${solver}`, async () => {
        const ref = await readFixture<RReference>(`mlm-${name}.json`);
        // One pass (refine off): the pass count below is the structure, and R's numbers are one pass's.
        const result = await fitTargets(
          { inputs: [DATA], ...spec, solver, refine: 'off' },
          { pool },
        );
        expect(result.targets.map((t) => t.target)).toEqual(ref.responses.map((r) => r.response));
        // Rows with any target (or feature) missing are dropped for every target, as R's na.omit.
        expect(result.stats.rowsUsed).toBe(ref.n);
        expect(result.stats.rowsDropped).toBe(60 - ref.n);
        // The levels pass of a formula with a factor, then the one accumulate pass.
        expect(result.stats.passes).toBe(name === 'formula' || name === 'offset' ? 2 : 1);
        result.targets.forEach((t, j) => {
          expectMatchesR(t.model, ref.responses[j] as RResponse);
          expect(t.model.rows.used).toBe(ref.n);
        });
      });
    }
  }
});

describe('fitTargets equals separate fits', () => {
  it('each target as a fit of that target alone on the same rows (qr to rounding, normal bitwise)', async () => {
    for (const solver of ['qr', 'normal'] as const) {
      // Refinement off: whether auto refines is decided per fit, so bitwise needs both unrefined.
      const spec = { inputs: [DATA], solver, where: 'y2 is not null', refine: 'off' as const };
      const many = await fitTargets(
        { ...spec, formula: 'cbind(y1, y2, log(y3)) ~ x1 + x2 * g' },
        { pool },
      );
      for (const [j, response] of ['y1', 'y2', 'log(y3)'].entries()) {
        const alone = await fitOne({ ...spec, formula: `${response} ~ x1 + x2 * g` }, { pool });
        const ours = many.targets[j]?.model as LinregModel;
        expect(ours.rank).toBe(alone.model.rank);
        expect(ours.terms).toEqual(alone.model.terms);
        ours.coefficients.forEach((c, k) => {
          const a = alone.model.coefficients[k];
          if (solver === 'normal') {
            expect(c.estimate).toBe(a?.estimate);
            expect(c.stdError).toBe(a?.stdError);
          } else {
            expect(digits(c.estimate, a?.estimate as number)).toBeGreaterThanOrEqual(13);
            expect(digits(c.stdError, a?.stdError as number)).toBeGreaterThanOrEqual(13);
          }
        });
        expect(digits(ours.statistics.rss, alone.model.statistics.rss)).toBeGreaterThanOrEqual(13);
      }
    }
  });

  it('gives the same bits for 1 and 2 workers', async () => {
    const spec = { inputs: [DATA], formula: 'cbind(y1, y2, y3) ~ x1 + x2 * g' };
    const one = await fitTargets({ ...spec, workers: 1 });
    const two = await fitTargets(spec, { pool });
    expect(one.targets.map((t) => t.model.coefficients)).toEqual(
      two.targets.map((t) => t.model.coefficients),
    );
  });

  it('shares rank and aliasing across targets (decided on X)', async () => {
    const many = await fitTargets(
      { inputs: [DATA], formula: 'cbind(y1, y2) ~ x1 + x2 + I(x1 + x2)' },
      { pool },
    );
    for (const t of many.targets) {
      expect(t.model.rank).toBe(3);
      expect(t.model.aliased.map((a) => a.name)).toEqual(['I(x1 + x2)']);
    }
  });

  it('takes ridge per target, as a ridge fit of the target alone', async () => {
    const spec = { inputs: [DATA], features: ['x1', 'x2'], ridge: 0.5, where: 'y2 is not null' };
    const many = await fitTargets({ ...spec, target: 'y1,y2' }, { pool });
    const alone = await fitOne({ ...spec, target: 'y2' }, { pool });
    const ours = many.targets[1]?.model as LinregModel;
    ours.coefficients.forEach((c, k) => {
      expect(
        digits(c.estimate, alone.model.coefficients[k]?.estimate as number),
      ).toBeGreaterThanOrEqual(13);
    });
  });
});

describe('fitTargets: robust and cluster SEs and diagnostics per target', () => {
  // A pass per target at its final β, over the fit's rows (the other targets read, then left out).
  const cases: [string, Record<string, unknown>][] = [
    ['hc0', { se: 'hc0' }],
    ['hc3, weighted', { se: 'hc3', weights: 'w' }],
    ['cluster g (CR1)', { cluster: ['g'] }],
    ['diagnostics', { diagnostics: true }],
  ];
  for (const [name, extra] of cases) {
    it(`${name}: each target as a fit of it alone on the same rows`, async () => {
      const spec = { inputs: [DATA], refine: 'off' as const, ...extra };
      const many = await fitTargets(
        { ...spec, formula: 'cbind(y1, y2, log(y3)) ~ x1 + x2' },
        { pool },
      );
      expect(many.stats.passes).toBe(1 + 3);
      for (const [j, response] of ['y1', 'y2', 'log(y3)'].entries()) {
        const alone = await fitOne(
          { ...spec, formula: `${response} ~ x1 + x2`, where: 'y2 is not null' },
          { pool },
        );
        const ours = many.targets[j]?.model as LinregModel;
        expect(ours.se).toBe(alone.model.se);
        expect(ours.cluster).toEqual(alone.model.cluster);
        ours.coefficients.forEach((c, k) => {
          const a = alone.model.coefficients[k];
          expect(digits(c.stdError, a?.stdError as number)).toBeGreaterThanOrEqual(12);
          expect(digits(c.p, a?.p as number)).toBeGreaterThanOrEqual(10);
        });
        const d = ours.diagnostics;
        const e = alone.model.diagnostics;
        expect(d === undefined).toBe(e === undefined);
        if (d !== undefined && e !== undefined) {
          for (const key of ['durbinWatson', 'jarqueBera', 'breuschPagan', 'skewness'] as const) {
            expect(digits(d[key] as number, e[key] as number)).toBeGreaterThanOrEqual(11);
          }
        }
      }
    });
  }
});

describe('fitTargets: refinement per target, and what it refuses in one line', () => {
  const base = { inputs: [DATA], target: 'y1,y2', features: ['x1', 'x2'] };
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['cluster', { cluster: ['y2'] }, /column y2 is a target/],
    ['solver', { solver: 'sgd' }, /sgd cannot fit several targets/],
    ['target', { target: 'y1,y1' }, /names a column twice/],
    ['target', { target: 'y1,x1' }, /x1 is a target and also a feature/],
  ];
  for (const [option, extra, message] of cases) {
    it(`${option}: ${JSON.stringify(extra)}`, async () => {
      const error = await fitTargets({ ...base, ...extra }, { pool }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SpecError);
      expect((error as SpecError).message).toMatch(message);
      expect((error as SpecError).message).not.toContain('\n');
    });
  }
  it('refines a target as a fit alone refines it (refine auto, and on)', async () => {
    const n = 200;
    const x1 = Float64Array.from({ length: n }, (_, i) => i / 7);
    // x2 = x1 + 1e-7·noise: near-collinear, so a fit of y1 alone takes a refinement pass.
    const x2 = Float64Array.from({ length: n }, (_, i) => i / 7 + 1e-7 * (((i * 7) % 5) - 2));
    const y1 = Float64Array.from(
      { length: n },
      (_, i) => 1 + (x1[i] as number) + 3 * (x2[i] as number) + ((i * 13) % 7) / 10,
    );
    const y2 = Float64Array.from({ length: n }, (_, i) => 2 - (x1[i] as number) + (i % 5) / 10);
    const columns = { x1, x2, y1, y2 };
    const spec = { features: ['x1', 'x2'] };
    const alone = await fitOne({ ...spec, target: 'y1' }, { source: memorySource([columns]) });
    expect(alone.model.refinementSteps).toBeGreaterThan(0);
    for (const refine of ['auto', 'on'] as const) {
      const many = await fitTargets(
        { ...spec, target: 'y1,y2', refine },
        { source: memorySource([columns]) },
      );
      const y1Model = many.targets[0]?.model as LinregModel;
      expect(y1Model.refinementSteps).toBe(alone.model.refinementSteps);
      expect(y1Model.warnings).toEqual(alone.model.warnings);
      y1Model.coefficients.forEach((c, k) => {
        const a = alone.model.coefficients[k];
        expect(digits(c.estimate, a?.estimate as number)).toBeGreaterThanOrEqual(13);
        expect(digits(c.stdError, a?.stdError as number)).toBeGreaterThanOrEqual(13);
      });
      const onAlone = await fitOne(
        { ...spec, target: 'y2', refine },
        { source: memorySource([columns]) },
      );
      expect(many.targets[1]?.model.refinementSteps).toBe(onAlone.model.refinementSteps);
    }
    // From files, through the pool: the refine pass reads the other targets' columns too.
    const many = await fitTargets(
      { inputs: [DATA], target: 'y1,y2', features: ['x1', 'x2'], refine: 'on' },
      { pool },
    );
    const alone2 = await fitOne(
      {
        inputs: [DATA],
        target: 'y1',
        features: ['x1', 'x2'],
        refine: 'on',
        where: 'y2 is not null',
      },
      { pool },
    );
    expect(many.targets[0]?.model.refinementSteps).toBe(alone2.model.refinementSteps);
    // Through the origin, with robust SEs: refinement, then the residual pass, per target.
    const origin = await fitTargets(
      { inputs: [DATA], formula: 'cbind(y1, y2) ~ x1 + x2 - 1', refine: 'on', se: 'hc1' },
      { pool },
    );
    expect(origin.stats.passes).toBe(1 + 2 * 2);
    const y2Alone = await fitOne(
      {
        inputs: [DATA],
        formula: 'y2 ~ x1 + x2 - 1',
        refine: 'on',
        se: 'hc1',
        where: 'y2 is not null',
      },
      { pool },
    );
    origin.targets[1]?.model.coefficients.forEach((c, k) => {
      const a = y2Alone.model.coefficients[k];
      expect(digits(c.estimate, a?.estimate as number)).toBeGreaterThanOrEqual(14);
      expect(digits(c.stdError, a?.stdError as number)).toBeGreaterThanOrEqual(13);
    });
    expect(many.targets[0]?.model.refinementSteps).toBeGreaterThan(0);
    many.targets[0]?.model.coefficients.forEach((c, k) => {
      expect(
        digits(c.estimate, alone2.model.coefficients[k]?.estimate as number),
      ).toBeGreaterThanOrEqual(14);
    });
  });

  it('fit() names fitTargets() for several targets', async () => {
    await expect(fitOne({ inputs: [DATA], target: 'y1,y2' }, { pool })).rejects.toThrow(
      /several targets \(y1,y2\) are fitTargets\(\), not fit\(\)/,
    );
    await expect(
      fitOne({ inputs: [DATA], formula: 'cbind(y1, y2) ~ x1' }, { pool }),
    ).rejects.toThrow(/several responses \(cbind\) are fitted by fitTargets\(\), not fit\(\)/);
  });
  it('a formula of one response in cbind()', async () => {
    const error = await fitTargets({ inputs: [DATA], formula: 'cbind(y1) ~ x1' }, { pool }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(/at least two responses/);
  });
});

describe('targets and the model document', () => {
  it('targetsOf reads cbind() and comma lists', () => {
    expect(targetsOf({ formula: 'cbind(y1, log(y2)) ~ x' })).toEqual(['y1', 'log(y2)']);
    expect(targetsOf({ formula: 'y1 ~ x' })).toBeUndefined();
    expect(targetsOf({ target: 'a, b' })).toEqual(['a', 'b']);
    expect(targetsOf({ target: 'a' })).toBeUndefined();
  });

  it('round-trips through linreg-model-targets', async () => {
    const many = await fitTargets(
      { inputs: [DATA], formula: 'cbind(y1, log(y3)) ~ x1 + g' },
      { pool },
    );
    const doc = modelTargetsOf(many.targets.map((t) => t.model));
    const back = parseModelTargets(modelTargetsToJson(doc), join('x', 'm.json'));
    expect(back.targets).toEqual(['y1', 'log(y3)']);
    expect(back.models.map((m) => m.coefficients)).toEqual(doc.models.map((m) => m.coefficients));
    expect(back.models[1]?.terms?.response?.label).toBe('log(y3)');
    expect(() => parseModelTargets(JSON.stringify({ ...doc, version: 9 }), 'm.json')).toThrow(
      /newer than this reader/,
    );
    expect(() =>
      parseModelTargets(JSON.stringify({ ...doc, targets: ['y1', 'y9'] }), 'm.json'),
    ).toThrow(/models\[1\]\.target/);
  });
});
