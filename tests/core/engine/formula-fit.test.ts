/**
 * Formula fits through the engine, beyond the R fixtures: levels found in
 * any order of units give the same model; the sparse Gram route agrees with
 * dense TSQR; predict on data missing some levels, and with a level the fit
 * never saw; the --max-levels cap; the default feature set's text columns
 * and keys; stdin's single read.
 */
import { Readable } from 'node:stream';
import {
  fit as fitSource,
  type LinregModel,
  type MemoryBatch,
  memorySource,
  modelToJson,
  parseModel,
  predict,
} from '@linreg/core';
import { IoError, ModelFormatError, SpecError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';

/** A seeded table: numbers x, z; text factors g (4 levels), h (3 levels); y from all of them. */
function table(
  rows: number,
  seed: number,
): { x: Float64Array; z: Float64Array; g: string[]; h: string[]; y: Float64Array } {
  let s = seed >>> 0;
  const next = (): number => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const G = ['alpha', 'beta', 'Gamma', 'delta'];
  const H = ['u', 'v', 'w'];
  const x = new Float64Array(rows);
  const z = new Float64Array(rows);
  const g: string[] = [];
  const h: string[] = [];
  const y = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    x[i] = next() * 4 - 2;
    z[i] = next() + 1;
    const gi = Math.floor(next() * 4);
    const hi = Math.floor(next() * 3);
    g.push(G[gi] as string);
    h.push(H[hi] as string);
    y[i] = 1 + 0.5 * x[i] + gi * 0.7 - hi * 0.3 + 0.2 * gi * x[i] + (next() - 0.5);
  }
  return { x, z, g, h, y };
}

function batches(t: ReturnType<typeof table>, cuts: readonly number[]): MemoryBatch[] {
  const out: MemoryBatch[] = [];
  let start = 0;
  for (const end of [...cuts, t.x.length]) {
    out.push({
      x: t.x.slice(start, end),
      z: t.z.slice(start, end),
      g: t.g.slice(start, end),
      h: t.h.slice(start, end),
      y: t.y.slice(start, end),
    });
    start = end;
  }
  return out;
}

async function fitBatches(
  parts: MemoryBatch[],
  spec: Record<string, unknown>,
): Promise<LinregModel> {
  const result = await fitSource(spec as never, { source: memorySource(parts) });
  return result.model;
}

const FORMULA = 'y ~ x * g + h + log(z)';

describe('levels found across units', () => {
  it('give the same model whatever the units and their order', async () => {
    const t = table(600, 7);
    // Levels first seen in different units: 'Gamma' only past row 300 in one split.
    const a = await fitBatches(batches(t, [100, 300, 450]), { formula: FORMULA, solver: 'qr' });
    const b = await fitBatches(batches(t, [50]), { formula: FORMULA, solver: 'qr' });
    const reversed = batches(t, [200, 400]).reverse();
    const c = await fitBatches(reversed, { formula: FORMULA, solver: 'qr' });
    expect(b.features).toEqual(a.features);
    expect(c.features).toEqual(a.features);
    expect(a.features).toEqual(
      [
        'x',
        'gGamma',
        'galpha',
        'gbeta',
        'gdelta',
        'hv',
        'hw',
        'log(z)',
        'x:gGamma',
        'x:galpha',
        'x:gbeta',
        'x:gdelta',
      ].filter((n) => n !== 'gGamma' && n !== 'x:gGamma'),
    );
    for (const m of [b, c]) {
      m.coefficients.forEach((coef, j) => {
        const ref = a.coefficients[j]?.estimate as number;
        expect(Math.abs(coef.estimate - ref)).toBeLessThan(1e-11 * (1 + Math.abs(ref)));
      });
    }
  });
});

describe('the sparse Gram route', () => {
  it('agrees with dense TSQR on a factor design with weights and missing values', async () => {
    const t = table(2000, 11);
    const w = Float64Array.from(t.x, (_, i) => 0.5 + (i % 7) / 3);
    const g = t.g.map((v, i) => (i % 97 === 5 ? null : v));
    const parts: MemoryBatch[] = [
      {
        x: t.x.slice(0, 1200),
        z: t.z.slice(0, 1200),
        g: g.slice(0, 1200),
        h: t.h.slice(0, 1200),
        y: t.y.slice(0, 1200),
        w: w.slice(0, 1200),
      },
      {
        x: t.x.slice(1200),
        z: t.z.slice(1200),
        g: g.slice(1200),
        h: t.h.slice(1200),
        y: t.y.slice(1200),
        w: w.slice(1200),
      },
    ];
    const spec = { formula: 'y ~ g * h + x:g + z', weights: 'w', refine: 'off' };
    const normal = await fitBatches(parts, { ...spec, solver: 'normal', batchRows: 333 });
    const qr = await fitBatches(parts, { ...spec, solver: 'qr' });
    expect(normal.rows.used).toBe(qr.rows.used);
    expect(normal.rows.droppedMissing).toBeGreaterThan(0);
    normal.coefficients.forEach((c, j) => {
      const ref = qr.coefficients[j] as LinregModel['coefficients'][number];
      expect(Math.abs(c.estimate - ref.estimate)).toBeLessThan(1e-9 * (1 + Math.abs(ref.estimate)));
      expect(Math.abs(c.stdError / ref.stdError - 1)).toBeLessThan(1e-9);
    });
    expect(Math.abs(normal.statistics.rss / qr.statistics.rss - 1)).toBeLessThan(1e-12);
  });

  it("is what solver 'auto' picks for a wide design mostly of factor columns", async () => {
    const t = table(300, 3);
    const store = Array.from({ length: 300 }, (_, i) => `s${i % 60}`);
    const parts: MemoryBatch[] = [{ ...batches(t, [])[0], store } as MemoryBatch];
    expect((await fitBatches(parts, { formula: 'y ~ x + store' })).solver).toBe('normal');
    expect((await fitBatches(parts, { formula: 'y ~ x + g' })).solver).toBe('qr');
  });
});

describe('predict with a formula model', () => {
  it('names its terms and predicts from them as the formula says', async () => {
    const t = table(400, 5);
    const model = await fitBatches(batches(t, []), { formula: FORMULA });
    // The design columns of the new rows, computed by hand from the terms.
    const beta = (name: string): number =>
      model.coefficients.find((c) => c.name === name)?.estimate as number;
    const expected = [
      beta('(Intercept)') +
        beta('x') * 0.5 +
        beta('gbeta') +
        beta('log(z)') * Math.log(1.5) +
        beta('x:gbeta') * 0.5,
      beta('(Intercept)') +
        beta('x') * -1 +
        beta('gbeta') +
        beta('hw') +
        beta('log(z)') * Math.log(2) +
        beta('x:gbeta') * -1,
    ];
    expect(model.terms?.formula).toBe('y ~ x * g + h + log(z)');
    const columns = model.features.map((f) => {
      const row = (x: number, g: string, h: string, z: number): number => {
        if (f === 'x') return x;
        if (f === 'log(z)') return Math.log(z);
        if (f.startsWith('x:g')) return f === `x:g${g}` ? x : 0;
        if (f.startsWith('g')) return f === `g${g}` ? 1 : 0;
        return f === `h${h}` ? 1 : 0;
      };
      return Float64Array.of(row(0.5, 'beta', 'u', 1.5), row(-1, 'beta', 'w', 2));
    });
    const p = predict(model, { rows: 2, columns });
    expect(p.fit[0]).toBeCloseTo(expected[0] as number, 12);
    expect(p.fit[1]).toBeCloseTo(expected[1] as number, 12);
  });
});

describe('the model file', () => {
  it('round-trips the terms, and refuses tampered ones naming the field', async () => {
    const t = table(200, 21);
    const model = await fitBatches(batches(t, []), {
      formula: 'log(y + 10) ~ poly(x, 2) + C(g, ref = "beta") * h + offset(z)',
    });
    const json = modelToJson(model);
    expect(parseModel(json).terms).toEqual(model.terms);
    const raw = JSON.parse(json);
    raw.terms.inputs.pop();
    expect(() => parseModel(JSON.stringify(raw), 'm.json')).toThrow(ModelFormatError);
    const renamed = JSON.parse(json);
    renamed.terms.variables[1].levels[0] = 'zeta';
    expect(() => parseModel(JSON.stringify(renamed), 'm.json')).toThrow(
      /^m\.json: terms: the terms give the design columns/,
    );
    const deep = JSON.parse(json);
    let e: Record<string, unknown> = { op: 'input', input: 0 };
    for (let i = 0; i < 500; i++) e = { op: 'neg', a: e };
    deep.terms.offsets[0].expr = e;
    expect(() => parseModel(JSON.stringify(deep), 'm.json')).toThrow(/nested deeper than 200/);
  });
});

describe('limits and refusals', () => {
  it('--max-levels names the column and its count', async () => {
    const t = table(100, 9);
    const ids = Array.from({ length: 100 }, (_, i) => `c${i}`);
    const parts: MemoryBatch[] = [{ ...batches(t, [])[0], id: ids } as MemoryBatch];
    await expect(fitBatches(parts, { formula: 'y ~ x + id', maxLevels: 50 })).rejects.toThrow(
      /id: more than 50 levels/,
    );
    await expect(
      fitBatches(parts, { formula: 'y ~ x + id', maxLevels: 50 }),
    ).rejects.toBeInstanceOf(IoError);
  });

  it('the default features take text columns as factors and leave out keys with a warning', async () => {
    const t = table(200, 13);
    const parts: MemoryBatch[] = [
      {
        ...batches(t, [])[0],
        customer_id: Float64Array.from({ length: 200 }, (_, i) => i),
        code: Array.from({ length: 200 }, (_, i) => `k${i}`),
      } as MemoryBatch,
    ];
    const model = await fitBatches(parts, { target: 'y' });
    expect(model.features).toContain('galpha');
    expect(model.features).toContain('hv');
    expect(model.features).not.toContain('customer_id');
    expect(model.features.some((f) => f.startsWith('code'))).toBe(false);
    expect(model.warnings.join('\n')).toMatch(
      /left out column customer_id: its name looks like a key/,
    );
    expect(model.warnings.join('\n')).toMatch(/left out column code: every value is distinct/);
  });

  it('a factor on stdin is refused before reading: the levels pass needs a second read', async () => {
    await expect(
      fitSource({ inputs: ['-'], formula: 'y ~ g' }, { stdin: Readable.from([]) }),
    ).rejects.toBeInstanceOf(Error);
  });

  it('a reference level that does not occur is a SpecError naming it', async () => {
    const t = table(100, 2);
    await expect(
      fitBatches(batches(t, []), { formula: 'y ~ C(g, ref = "omega")' }),
    ).rejects.toThrow(SpecError);
    await expect(
      fitBatches(batches(t, []), { formula: 'y ~ C(g, ref = "omega")' }),
    ).rejects.toThrow(
      /reference level "omega" does not occur \(levels: Gamma, alpha, beta, delta\)/,
    );
  });
});
