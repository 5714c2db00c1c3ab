/**
 * Formulas against R's lm (fixtures written by tests/fixtures/r/formula.R;
 * R is not needed to run this file): transforms, factors with a chosen
 * reference, factor×factor with an empty cell, factor×numeric, poly, offset,
 * `- 1` with a factor, `.`, logicals, weights and missing values — the
 * coefficient names as R prints them, estimates and standard errors to ≥ 10
 * digits, the summary statistics, the per-term ANOVA, and predict.lm's fit
 * and se.fit on new data through the model file.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  createPool,
  fit as fitFiles,
  type LinregModel,
  predictFiles,
  type WorkerPool,
} from '@linreg/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireBuild, tempDir } from '../../e2e/cli-harness.js';
import { digits, fixturePath, readFixture } from '../support/r-fixtures.js';

interface RCoefficient {
  readonly name: string;
  readonly estimate: number | null;
  readonly stdError: number | null;
}
interface RAnovaRow {
  readonly term: string;
  readonly linregTerm?: string;
  readonly df: number;
  readonly sumSq: number;
  readonly F: number | null;
  readonly p: number | null;
}
interface RCase {
  readonly case: string;
  readonly formula: string;
  readonly linregFormula?: string;
  readonly linregNames?: string[];
  readonly weights: string | null;
  readonly n: number;
  readonly coefficients: RCoefficient[];
  readonly sigma: number;
  readonly rSquared: number;
  readonly fStatistic: number | null;
  readonly rank: number;
  readonly anova: RAnovaRow[];
  readonly predict: { readonly csv: string; readonly fit: number[]; readonly seFit: number[] };
  readonly polyCoefs?: { readonly alpha: number[]; readonly norm2: number[] };
}

const CASES = [
  'transforms',
  'transforms-pow',
  'factor-default',
  'factor-ref',
  'factor-factor-empty',
  'factor-colon',
  'factor-numeric',
  'factor-numeric-nomain',
  'poly',
  'poly-raw',
  'offset',
  'no-intercept-factor',
  'no-intercept-colon',
  'dot',
  'dot-minus',
  'numeric-factor',
  'numeric-factor-sort',
  'bool',
  'weighted-factor',
  'interaction-power',
  'missing',
];

/** Agreement demanded of estimates and standard errors, in significant digits. */
const DIGITS = 10;

let pool: WorkerPool;
let dir: string;

beforeAll(async () => {
  await requireBuild();
  pool = createPool({ workers: 2 });
  dir = await tempDir('formula-r-');
});

afterAll(async () => {
  await pool.destroy();
  await rm(dir, { recursive: true, force: true });
});

function expectClose(actual: number, expected: number | null, what: string, at = DIGITS): void {
  if (expected === null) {
    expect(Number.isNaN(actual), `${what}: R has NA, linreg ${actual}`).toBe(true);
    return;
  }
  // Values R computes as rounding noise around 0 agree in absolute terms only.
  if (Math.abs(expected) < 1e-12) {
    expect(Math.abs(actual), what).toBeLessThan(1e-9);
    return;
  }
  expect(digits(actual, expected), `${what}: ${actual} vs R ${expected}`).toBeGreaterThanOrEqual(
    at,
  );
}

async function fitCase(r: RCase, workers = 1): Promise<LinregModel> {
  const result = await fitFiles(
    {
      inputs: [fixturePath(`formula-${r.case}.csv`)],
      formula: r.linregFormula ?? r.formula,
      ...(r.weights === null ? {} : { weights: r.weights }),
      aliased: 'drop',
      workers,
    },
    { pool },
  );
  return result.model;
}

describe.each(CASES)('formula %s against R', (name) => {
  it('coefficients, standard errors and statistics', async () => {
    const r = await readFixture<RCase>(`formula-${name}.json`);
    const model = await fitCase(r);
    const names = r.linregNames ?? r.coefficients.map((c) => c.name);
    expect(model.coefficients.map((c) => c.name)).toEqual(names);
    expect(model.rows.used).toBe(r.n);
    expect(model.rank).toBe(r.rank);
    r.coefficients.forEach((c, j) => {
      const mine = model.coefficients[j] as LinregModel['coefficients'][number];
      expectClose(mine.estimate, c.estimate, `${c.name} estimate`);
      expectClose(mine.stdError, c.stdError, `${c.name} std. error`);
    });
    expectClose(model.statistics.sigma, r.sigma, 'sigma');
    // With an offset, R's summary.lm counts the offset in the fitted values' sum of squares;
    // linreg's R² and F are those of y − offset (checked against that fit below).
    if (name !== 'offset') {
      expectClose(model.statistics.rSquared, r.rSquared, 'R²');
      if (r.fStatistic !== null) expectClose(model.statistics.fStatistic, r.fStatistic, 'F');
    }
    if (r.polyCoefs !== undefined) {
      const v = model.terms?.variables.find((x) => x.kind === 'poly');
      expect(v?.kind).toBe('poly');
      const coefs = v?.kind === 'poly' ? v.coefs : undefined;
      for (const [k, a] of r.polyCoefs.alpha.entries()) {
        expectClose(coefs?.alpha[k] ?? Number.NaN, a, `alpha[${k}]`, 12);
      }
      for (const [k, a] of r.polyCoefs.norm2.entries()) {
        expectClose(coefs?.norm2[k] ?? Number.NaN, a, `norm2[${k}]`, 12);
      }
    }
  });

  it("per-term sequential ANOVA (R's anova.lm)", async () => {
    const r = await readFixture<RCase>(`formula-${name}.json`);
    const model = await fitCase(r);
    const terms = r.anova.filter((row) => row.term !== 'Residuals');
    expect(model.anova?.map((row) => row.term)).toEqual(terms.map((t) => t.linregTerm ?? t.term));
    terms.forEach((t, i) => {
      const mine = model.anova?.[i];
      expect(mine?.df, t.term).toBe(t.df);
      expectClose(mine?.sumSq ?? Number.NaN, t.sumSq, `${t.term} Sum Sq`);
      if (t.F !== null) expectClose(mine?.f ?? Number.NaN, t.F, `${t.term} F`);
      if (t.p !== null && t.p > 1e-300) expectClose(mine?.p ?? Number.NaN, t.p, `${t.term} p`, 8);
    });
    const residual = r.anova.find((row) => row.term === 'Residuals');
    expect(model.statistics.residualDf).toBe(residual?.df);
    expectClose(model.statistics.rss, residual?.sumSq ?? null, 'RSS');
  });

  it('predict.lm fit and se.fit on new data, through the model file', async () => {
    const r = await readFixture<RCase>(`formula-${name}.json`);
    const model = await fitCase(r);
    const out = join(dir, `${name}-pred.csv`);
    await predictFiles(model, [fixturePath(r.predict.csv)], out, {
      interval: 'confidence',
      pool,
      workers: 2,
    });
    const lines = (await readFile(out, 'utf8')).trim().split('\n');
    const header = (lines[0] as string).split(',');
    const fitAt = header.indexOf('prediction');
    const seAt = header.indexOf('se_fit');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(r.predict.fit.length);
    rows.forEach((row, i) => {
      expectClose(Number(row[fitAt]), r.predict.fit[i] as number, `fit[${i}]`);
      expectClose(Number(row[seAt]), r.predict.seFit[i] as number, `se.fit[${i}]`, 9);
    });
  });
});

describe('an offset', () => {
  it("fits as the response minus the offset, with that fit's R² and F", async () => {
    const r = await readFixture<RCase>('formula-offset.json');
    const withOffset = await fitCase(r);
    const subtracted = await fitCase({ ...r, formula: 'I(y - log(e)) ~ x' });
    expect(withOffset.coefficients.map((c) => c.estimate)).toEqual(
      subtracted.coefficients.map((c) => c.estimate),
    );
    expect(withOffset.statistics.rSquared).toBe(subtracted.statistics.rSquared);
    expect(withOffset.statistics.fStatistic).toBe(subtracted.statistics.fStatistic);
  });
});

describe('formula fits do not depend on workers or units', () => {
  it('two workers give the bits of one', async () => {
    const r = await readFixture<RCase>('formula-interaction-power.json');
    const one = await fitCase(r, 1);
    const two = await fitCase(r, 2);
    expect(two.coefficients).toEqual(one.coefficients);
  });
});
