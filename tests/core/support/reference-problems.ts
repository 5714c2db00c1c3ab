/**
 * Deterministic reference least-squares problems of the kinds and
 * difficulties of the NIST StRD linear-regression set (which cannot be
 * downloaded here). Wampler1–2 and NoInt2 follow NIST's definitions; the
 * others are generated stand-ins of the same shape and conditioning. The truth
 * for each is computed exactly from the float64 data (rational.ts).
 *
 * | name           | rows | params | difficulty                                          |
 * |----------------|------|--------|-----------------------------------------------------|
 * | norris-like    |  36  |   2    | low: simple regression                               |
 * | pontius-like   |  40  |   3    | low–average: quadratic, x up to 3e6                  |
 * | noint1-like    |  11  |   1    | average: no intercept                                |
 * | noint2         |   3  |   1    | average: no intercept (NIST NoInt2 data)             |
 * | longley-like   |  16  |   7    | higher: 6 collinear economic regressors, κ ≈ 1e9     |
 * | filip-like     |  82  |  11    | highest: degree-10 polynomial, κ ≈ 1e15 unscaled     |
 * | wampler1..5    |  21  |   6    | highest: degree-5 polynomial in x = 0..20; 1–2 fit   |
 * |                |      |        | exactly, 3–5 add alternating noise ×1, ×100, ×1e4    |
 */

export interface ReferenceProblem {
  readonly name: string;
  readonly intercept: boolean;
  /** Feature columns (the intercept column is implicit). */
  readonly x: readonly Float64Array[];
  readonly y: Float64Array;
  /** True when the exact fit has RSS = 0 in NIST's certification (SEs certified as 0). */
  readonly exactFit: boolean;
}

/** Rounds to `digits` decimal places through the decimal string, as data files store values. */
function decimal(v: number, digits: number): number {
  return Number(v.toFixed(digits));
}

/** Powers x, x², …, x^degree, each computed by repeated multiplication in float64. */
function powers(x: Float64Array, degree: number): Float64Array[] {
  const out: Float64Array[] = [];
  let cur = x.slice();
  out.push(cur);
  for (let d = 2; d <= degree; d++) {
    const next = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) next[i] = cur[i] * x[i];
    out.push(next);
    cur = next;
  }
  return out;
}

/** A fixed low-discrepancy pattern in [0, 1): frac(i·φ). */
function golden(i: number): number {
  return (i * 0.6180339887498949) % 1;
}

export function filipLike(): ReferenceProblem {
  const n = 82;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = decimal(-8.78 + 5.65 * golden(i + 1), 7);
    const t = x[i];
    const smooth = 0.85 + 0.04 * Math.sin(1.3 * t) + 0.002 * t * t - 0.0003 * t * t * t;
    y[i] = decimal(smooth + 0.003 * (golden(3 * i + 7) - 0.5), 7);
  }
  return { name: 'filip-like', intercept: true, x: powers(x, 10), y, exactFit: false };
}

function wamplerX(): Float64Array {
  return Float64Array.from({ length: 21 }, (_, i) => i);
}

/** NIST Wampler1: y = 1 + x + x² + x³ + x⁴ + x⁵ on x = 0..20 (integers, exact in float64). */
export function wampler1(): ReferenceProblem {
  const x = wamplerX();
  const y = x.map((t) => 1 + t + t ** 2 + t ** 3 + t ** 4 + t ** 5);
  return { name: 'wampler1', intercept: true, x: powers(x, 5), y, exactFit: true };
}

/** NIST Wampler2: y = 1 + 0.1x + 0.01x² + 0.001x³ + 1e-4x⁴ + 1e-5x⁵, stored as exact decimals. */
export function wampler2(): ReferenceProblem {
  const x = wamplerX();
  // Exact decimal arithmetic in units of 1e-5, then parsed like a data file.
  const y = x.map((t) => {
    const units = 100000 + 10000 * t + 1000 * t ** 2 + 100 * t ** 3 + 10 * t ** 4 + t ** 5;
    return Number(`${Math.trunc(units / 100000)}.${String(units % 100000).padStart(5, '0')}`);
  });
  return { name: 'wampler2', intercept: true, x: powers(x, 5), y, exactFit: true };
}

/** Wampler1 plus deterministic alternating integer noise of size ≈ 2000·scale. */
function wamplerNoisy(name: string, scale: number): ReferenceProblem {
  const base = wampler1();
  const y = base.y.map(
    (v, i) => v + scale * (i % 2 === 0 ? 1 : -1) * (2000 + 100 * ((7 * i) % 11)),
  );
  return { ...base, name, y, exactFit: false };
}

export const wampler3 = (): ReferenceProblem => wamplerNoisy('wampler3', 1);
export const wampler4 = (): ReferenceProblem => wamplerNoisy('wampler4', 100);
export const wampler5 = (): ReferenceProblem => wamplerNoisy('wampler5', 10000);

/**
 * Longley-like: 16 years of six strongly collinear "economic" series (price
 * deflator, GNP, unemployment, armed forces, population, year) and employment.
 */
export function longleyLike(): ReferenceProblem {
  const n = 16;
  const cols = Array.from({ length: 6 }, () => new Float64Array(n));
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const t = i / (n - 1);
    const year = 1947 + i;
    const gnp = Math.round(234289 + 320000 * t + 25000 * t * t + 4000 * Math.sin(2.1 * i));
    const deflator = decimal(83 + 33 * t + 0.5 * Math.sin(1.7 * i), 1);
    const unemployed = Math.round(2356 + 2000 * t + 900 * Math.sin(0.9 * i + 0.3));
    const armed = Math.round(1590 + 1200 * Math.min(1, 2.5 * t) + 300 * Math.cos(1.3 * i));
    const population = Math.round(107608 + 22500 * t + 150 * Math.sin(2.7 * i));
    cols[0][i] = deflator;
    cols[1][i] = gnp;
    cols[2][i] = unemployed;
    cols[3][i] = armed;
    cols[4][i] = population;
    cols[5][i] = year;
    y[i] = Math.round(
      60323 +
        0.035 * (gnp - 234289) -
        1.5 * (unemployed - 2356) -
        0.8 * (armed - 1590) +
        180 * Math.sin(3.1 * i),
    );
  }
  return { name: 'longley-like', intercept: true, x: cols, y, exactFit: false };
}

/** Norris-like: simple regression of y on x ∈ [0, 1000] with one-decimal data. */
export function norrisLike(): ReferenceProblem {
  const n = 36;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = decimal(1000 * golden(i + 5), 1);
    y[i] = decimal(-0.26 + 1.002 * x[i] + 0.9 * (golden(2 * i + 3) - 0.5), 1);
  }
  return { name: 'norris-like', intercept: true, x: [x], y, exactFit: false };
}

/** NoInt1-like: y on x without intercept, x = 60..70, y = 130..140 plus small integer noise. */
export function noInt1Like(): ReferenceProblem {
  const x = Float64Array.from({ length: 11 }, (_, i) => 60 + i);
  const y = Float64Array.from({ length: 11 }, (_, i) => 130 + i + ((3 * i) % 5) - 2);
  return { name: 'noint1-like', intercept: false, x: [x], y, exactFit: false };
}

/** NIST NoInt2: x = 4, 5, 6; y = 3, 4, 4; no intercept. */
export function noInt2(): ReferenceProblem {
  return {
    name: 'noint2',
    intercept: false,
    x: [Float64Array.of(4, 5, 6)],
    y: Float64Array.of(3, 4, 4),
    exactFit: false,
  };
}

/** Pontius-like: quadratic calibration with loads up to 3e6 and 5-decimal deflections. */
export function pontiusLike(): ReferenceProblem {
  const n = 40;
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    x[i] = 150000 * ((i % 20) + 1);
    const v =
      0.673565789473684e-3 + 0.732059160401003e-6 * x[i] - 0.316081871345029e-14 * x[i] ** 2;
    y[i] = decimal(v + 4e-4 * (golden(i + 11) - 0.5), 5);
  }
  const x2 = x.map((t) => t * t);
  return { name: 'pontius-like', intercept: true, x: [x, x2], y, exactFit: false };
}

export function referenceProblems(): ReferenceProblem[] {
  return [
    norrisLike(),
    pontiusLike(),
    noInt1Like(),
    noInt2(),
    longleyLike(),
    filipLike(),
    wampler1(),
    wampler2(),
    wampler3(),
    wampler4(),
    wampler5(),
  ];
}

/**
 * Wampler-type look-alikes for the component-wise refinement checks (not in
 * referenceProblems(), whose figures are compared with numpy's): polynomials
 * whose coefficients span many magnitudes, so the smallest ones, in the
 * scaled norm, keep fewer digits in one pass than the norm-wise estimate says.
 *
 * | name                 | rows | params | what                                                  |
 * |----------------------|------|--------|-------------------------------------------------------|
 * | wampler-like-decay   |  21  |   6    | x = 0..20, coefficients 1e3 … 1e-7, 8-decimal y       |
 * | wampler-like-shifted |  21  |   6    | x = 10..30 (κ_s ≈ 1e6), Wampler1 plus noise ×10        |
 * | wampler-like-deg6    |  25  |   7    | x = 0..24, degree 6, unit coefficients plus noise     |
 * | wampler-like-half    |  21  |   6    | x = 0, 0.5, …, 10, alternating-sign decimal coefficients |
 */
export function wamplerLookAlikes(): ReferenceProblem[] {
  const grid = (n: number, from: number, step: number): Float64Array =>
    Float64Array.from({ length: n }, (_, i) => from + step * i);
  const poly = (x: Float64Array, c: readonly number[], noise: number, places: number) =>
    x.map((t, i) => {
      let v = 0;
      for (let d = c.length - 1; d >= 0; d--) v = v * t + (c[d] as number);
      return decimal(v + noise * (i % 2 === 0 ? 1 : -1) * (1 + ((7 * i) % 11) / 10), places);
    });
  const x1 = grid(21, 0, 1);
  const x2 = grid(21, 10, 1);
  const x3 = grid(25, 0, 1);
  const x4 = grid(21, 0, 0.5);
  return [
    {
      name: 'wampler-like-decay',
      intercept: true,
      x: powers(x1, 5),
      y: poly(x1, [1e3, 1e1, 1e-1, 1e-3, 1e-5, 1e-7], 1e-4, 8),
      exactFit: false,
    },
    {
      name: 'wampler-like-shifted',
      intercept: true,
      x: powers(x2, 5),
      y: poly(x2, [1, 1, 1, 1, 1, 1], 10, 0),
      exactFit: false,
    },
    {
      name: 'wampler-like-deg6',
      intercept: true,
      x: powers(x3, 6),
      y: poly(x3, [1, 1, 1, 1, 1, 1, 1], 100, 0),
      exactFit: false,
    },
    {
      name: 'wampler-like-half',
      intercept: true,
      x: powers(x4, 5),
      y: poly(x4, [2.5, -1.25, 0.625, -0.3125, 0.15625, -0.078125], 0.01, 6),
      exactFit: false,
    },
  ];
}

/** Design columns including the intercept column of ones when the problem has one. */
export function designColumns(p: ReferenceProblem): Float64Array[] {
  const n = p.y.length;
  return p.intercept ? [new Float64Array(n).fill(1), ...p.x] : [...p.x];
}
