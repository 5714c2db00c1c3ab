/**
 * Collinearity in the model: warnings naming the columns (VIF above 1e6, a
 * scaled condition number above 1e10 with its near-dependency), the
 * normal-equations warning when refinement is off and its removal by a
 * refinement step, and the raw condition number (numpy's `np.linalg.cond`)
 * against its closed form for an intercept and one feature.
 */
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../../packages/core/src/model/build-model.js';
import type { LinregModel } from '../../../packages/core/src/model/model.js';
import { modelToJson, parseModel } from '../../../packages/core/src/model/model-json.js';
import { computeInference } from '../../../packages/core/src/numerics/inference/index.js';
import { refineInMemory } from '../../../packages/core/src/numerics/refine/index.js';
import {
  NORMAL_EQUATIONS_WARNING,
  type Solution,
  solve,
} from '../../../packages/core/src/numerics/solve/index.js';
import type { TriangularFactor } from '../../../packages/core/src/numerics/types.js';
import { batchOf, type Data, factorOf } from '../support/factor-of.js';
import { q, qAdd, qInt, qMul, qSub, qToNumber } from '../support/rational.js';
import { wampler1 } from '../support/reference-problems.js';
import { FIXED_CLOCK } from './model-reference.js';

function modelOf(factor: TriangularFactor, solution: Solution, features: string[]): LinregModel {
  return buildModel({
    factor,
    solution,
    inference: computeInference(factor, solution),
    names: { target: 'y', features },
    rows: { read: factor.rows, used: factor.rows, dropped: 0 },
    solver: factor.spec.kind,
    now: FIXED_CLOCK,
  });
}

const n = 16;
const time = Float64Array.from({ length: n }, (_, i) => 5000 + i);
const wiggle = Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i));

describe('near-collinearity warnings', () => {
  it('names the columns whose VIF exceeds 1e6, with their VIFs', () => {
    // t and t² over 16 steps far from 0 (VIFs 6e6; at 1947…1962 they are 9.1e5); w is unrelated.
    const d: Data = {
      intercept: true,
      x: [time, time.map((t) => t * t), wiggle],
      y: Float64Array.from(
        { length: n },
        (_, i) => 60 + 0.3 * i + 0.5 * (wiggle[i] as number) + Math.cos(i),
      ),
    };
    const factor = factorOf(d);
    const model = modelOf(factor, solve(factor), ['t', 't2', 'w']);
    const vif = model.warnings.filter((w) => w.startsWith('near-collinearity: variance inflation'));
    expect(vif).toHaveLength(1);
    const [v1, v2] = [model.coefficients[1]?.vif, model.coefficients[2]?.vif] as number[];
    expect(v1).toBeGreaterThan(1e6);
    expect(vif[0]).toBe(
      `near-collinearity: variance inflation factor above 1e6 for t (${v1.toExponential(1)}), t2 (${v2.toExponential(1)})`,
    );
    // κ of these unit-norm columns is below 1e10: no second line.
    expect(model.statistics.conditionNumber).toBeLessThan(1e10);
    expect(model.warnings.some((w) => w.includes('near-dependency'))).toBe(false);
    // Ridge is the remedy, not a case for the warning.
    expect(
      modelOf(factor, solve(factor, { ridge: 1 }), ['t', 't2', 'w']).warnings.join(),
    ).not.toMatch(/near-collinearity/);
  });

  it('names the near-dependency when the scaled condition number exceeds 1e10', () => {
    const x1 = Float64Array.from({ length: 40 }, (_, i) => 1 + i / 4);
    const z = Float64Array.from({ length: 40 }, (_, i) => Math.cos(2.3 * i));
    const x2 = x1.map((v, i) => v + 1e-9 * (z[i] as number));
    const x3 = Float64Array.from({ length: 40 }, (_, i) => Math.sin(0.9 * i));
    const y = x1.map((v, i) => 2 * v + (x3[i] as number) + 0.1 * Math.sin(5 * i));
    const factor = factorOf({ intercept: true, x: [x1, x2, x3], y });
    const solution = solve(factor);
    expect(solution.rank).toBe(4);
    expect(solution.conditionNumber).toBeGreaterThan(1e10);
    // x1 and x2 (most involved first: equally, so in either order); not the intercept or x3.
    expect([...(solution.nearDependency ?? [])].sort()).toEqual([1, 2]);
    const model = modelOf(factor, solution, ['x1', 'x2', 'x3']);
    const names = (solution.nearDependency ?? []).map((j) => `x${j}`).join(', ');
    expect(model.warnings.filter((w) => w.includes('near-dependency'))).toEqual([
      `near-collinearity: condition number ${solution.conditionNumber.toExponential(1)} (unit-norm columns) above 1e10; the near-dependency involves ${names}`,
    ]);
  });
});

describe('the normal-equations warning', () => {
  it('is given when the one-pass estimate exceeds what refinement ensures, and removed by a refinement step', () => {
    const p = wampler1();
    const d: Data = { intercept: p.intercept, x: p.x, y: p.y };
    const normal = factorOf(d, 'normal');
    const solution = solve(normal);
    const warned = solution.warnings.filter((w) => w.startsWith(NORMAL_EQUATIONS_WARNING));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(
      /estimated relative error \d\.\de-\d+, above the 1e-9 the default refinement ensures; .*--solver qr/,
    );
    expect(solve(factorOf(d)).warnings.some((w) => w.startsWith(NORMAL_EQUATIONS_WARNING))).toBe(
      false,
    );
    const refined = refineInMemory(normal, solution, [batchOf(d)]);
    expect(refined.warnings.some((w) => w.startsWith(NORMAL_EQUATIONS_WARNING))).toBe(false);
  });
});

describe('the raw condition number', () => {
  it('matches the closed form of [1 x] to ≥ 13 digits at κ ≈ 1e13, and survives the file', () => {
    // G = [[n, S], [S, SS]]: λ_max = (tr + √(tr² − 4 det))/2, κ = λ_max/√det (no cancellation).
    const x = Float64Array.from({ length: 30 }, (_, i) => 1e6 + ((i * 7) % 13) / 8);
    const y = x.map((v, i) => 0.5 * v + Math.sin(i));
    const factor = factorOf({ intercept: true, x: [x], y });
    const solution = solve(factor);
    let s = qInt(0n);
    let ss = qInt(0n);
    for (const v of x) {
      s = qAdd(s, q(v));
      ss = qAdd(ss, qMul(q(v), q(v)));
    }
    const count = qInt(BigInt(x.length));
    const tr = qAdd(count, ss);
    const det = qSub(qMul(count, ss), qMul(s, s));
    const disc = qToNumber(qSub(qMul(tr, tr), qMul(qInt(4n), det)));
    const lambdaMax = (qToNumber(tr) + Math.sqrt(disc)) / 2;
    const kappa = lambdaMax / Math.sqrt(qToNumber(det));
    expect(kappa).toBeGreaterThan(1e12);
    const raw = solution.conditionNumberRaw as number;
    expect(-Math.log10(Math.abs(raw / kappa - 1))).toBeGreaterThanOrEqual(13);
    const model = modelOf(factor, solution, ['x']);
    expect(model.statistics.conditionNumberRaw).toBe(raw);
    expect(parseModel(modelToJson(model)).statistics.conditionNumberRaw).toBe(raw);
    // Parsed and written again, the text is the same: the field keeps its place.
    expect(modelToJson(parseModel(modelToJson(model)))).toBe(modelToJson(model));
    const json = JSON.parse(modelToJson(model)) as { statistics: Record<string, unknown> };
    delete json.statistics.conditionNumberRaw;
    expect(parseModel(JSON.stringify(json)).statistics.conditionNumberRaw).toBeUndefined();
  });
});
