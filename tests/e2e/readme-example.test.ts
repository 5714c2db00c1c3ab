import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runExample } from '../../examples/library.js';
import { runSeveralTargets } from '../../examples/several-targets.js';

describe('README library example (examples/library.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linreg-readme-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits files, predicts, and solves the toy example to the minimum-norm answer', async () => {
    const out = await runExample(dir);
    expect(out.rSquared).toBeGreaterThan(0.5);
    expect(out.predictedRows).toBe(20_000);
    expect(out.toyRank).toBe(2);
    const [b, w1, w2] = out.toy;
    expect(Math.abs(b as number)).toBeLessThan(1e-12);
    expect(w1).toBeCloseTo(1, 12);
    expect(w2).toBeCloseTo(1, 12);
    // SGD from memory lands on the same minimum-norm answer.
    expect(out.toySgdStatus).toBe('converged');
    const [sb, s1, s2] = out.toySgd;
    expect(sb as number).toBeCloseTo(0, 6);
    expect(s1 as number).toBeCloseTo(1, 6);
    expect(s2 as number).toBeCloseTo(1, 6);
    // An R formula over a text column: R's names.
    expect(out.formulaNames).toEqual(['(Intercept)', 'size', 'cityRome', 'size:cityRome']);
    // Held-out rows of the same true model: the RMSE is the noise's sd, 1.
    expect(out.holdoutRmse).toBeGreaterThan(0.9);
    expect(out.holdoutRmse).toBeLessThan(1.1);
    // A shared pool gives the bits of a fit's own pool.
    expect(out.pooledSame).toBe(true);
  });
});

describe('README several-targets example (examples/several-targets.ts)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linreg-readme-mlm-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fits two responses from one pass and predicts a column per target', async () => {
    const out = await runSeveralTargets(dir);
    expect(out.targets).toEqual(['log(price)', 'units']);
    // The row missing `units` is left out for both responses.
    expect(out.rowsUsed).toBe(7);
    // R: coef(lm(cbind(log(price), units) ~ size + city, d)), the row with units NA left out.
    const r = [
      [2.205890138369955, 0.14265022176037395, 0.9931604196486467],
      [6.910447761194027, -1.5522388059701486, 3.8606965174129364],
    ];
    out.coefficients.forEach((c, j) => {
      c.forEach((b, k) => {
        expect(b).toBeCloseTo(r[j]?.[k] as number, 12);
      });
    });
    expect(out.predictionColumns).toEqual(['prediction_log(price)', 'prediction_units']);
  });
});
