/**
 * The solver on a design wider than CERTIFY_MIN_COLUMNS, where full rank is
 * certified without an SVD and R_X is inverted once (rank.ts): the covariance
 * is R_X⁻¹R_X⁻ᵀ (by panels of the syrk kernel: to 1e-14 of the plain loop's,
 * the same bits in WebAssembly and JS), the VIFs are what they are from their
 * own inversion, and κ matches the SVD's.
 */
import { describe, expect, it } from 'vitest';
import {
  inverseGramFromUpper,
  jacobiSvd,
} from '../../../../packages/core/src/numerics/linalg/index.js';
import { varianceInflation } from '../../../../packages/core/src/numerics/solve/diagnostics.js';
import { designColumnNorms, solve } from '../../../../packages/core/src/numerics/solve/index.js';
import { CERTIFY_MIN_COLUMNS } from '../../../../packages/core/src/numerics/solve/rank.js';
import { factorOf } from '../../support/factor-of.js';
import { wideData } from '../../support/wide-data.js';

describe('a wide full-rank design (one inversion of R)', () => {
  const p = CERTIFY_MIN_COLUMNS + 36;
  const f = factorOf(wideData(p, 20261207));
  const s = solve(f);
  const m = p + 1;

  it('has full rank and the covariance of its own inversion, JS and WebAssembly alike', () => {
    expect(s.rank).toBe(m);
    const own = inverseGramFromUpper(f.r, f.k, m);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < m; j++) {
        const scale = Math.sqrt((own[i * m + i] as number) * (own[j * m + j] as number));
        expect(
          Math.abs((s.covUnscaled[i * m + j] as number) - (own[i * m + j] as number)),
        ).toBeLessThan(1e-14 * scale);
      }
    }
    const saved = process.env.LINREG_KERNELS;
    process.env.LINREG_KERNELS = 'js';
    try {
      expect(solve(f).covUnscaled).toEqual(s.covUnscaled);
    } finally {
      if (saved === undefined) delete process.env.LINREG_KERNELS;
      else process.env.LINREG_KERNELS = saved;
    }
  });

  it('takes the VIFs from the covariance diagonal, bit for bit as from their own inversion', () => {
    const own = varianceInflation(
      f,
      Array.from({ length: m }, (_, j) => j),
    );
    expect(Number.isNaN(s.vif[0] as number)).toBe(true);
    expect(Array.from(s.vif).slice(1)).toEqual(Array.from(own).slice(1));
    expect(Math.max(...Array.from(s.vif).slice(1))).toBeGreaterThan(1.01);
  });

  it('has the condition number of the SVD of the unit-column design', () => {
    const d = designColumnNorms(f);
    const a = new Float64Array(m * m);
    for (let i = 0; i < m; i++) {
      for (let j = i; j < m; j++) a[i * m + j] = (f.r[i * f.k + j] as number) / (d[j] as number);
    }
    const { s: sv } = jacobiSvd(a, m, m, { wantV: false });
    const kappa = (sv[0] as number) / (sv[m - 1] as number);
    expect(Math.abs(s.conditionNumber / kappa - 1)).toBeLessThan(1e-9);
  });
});
