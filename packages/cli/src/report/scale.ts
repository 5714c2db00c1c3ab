/**
 * Linear axes: a map from data to pixels, and "nice" tick values (steps of
 * 1, 2 or 5 times a power of ten, Heckbert's rule) with labels that show
 * just enough digits to tell neighbouring ticks apart.
 */
import { formatNumber } from '../format/numbers.js';

export interface Scale {
  readonly domain: readonly [number, number];
  (v: number): number;
}

/**
 * Data [d0, d1] → pixels [r0, r1]. A domain of one value (or an empty one)
 * is widened by one unit either side, so a constant still gets an axis.
 */
export function linearScale(
  domain: readonly [number, number],
  range: readonly [number, number],
): Scale {
  let [d0, d1] = domain;
  if (!(Number.isFinite(d0) && Number.isFinite(d1))) [d0, d1] = [0, 1];
  if (d1 <= d0) {
    const pad = Math.abs(d0) > 0 ? Math.abs(d0) * 0.5 : 1;
    d0 -= pad;
    d1 += pad;
  }
  const [r0, r1] = range;
  const k = (r1 - r0) / (d1 - d0);
  const lo = d0;
  const f = (v: number): number => r0 + (v - lo) * k;
  return Object.assign(f, { domain: [d0, d1] as const });
}

/** About `count` tick values within [lo, hi], on a 1–2–5 grid. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo) || !Number.isFinite(hi - lo)) return [lo];
  const rough = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / power;
  const step = (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    // Multiples of the step, not sums, so 0.1 + 0.2 does not print as 0.30000000000000004.
    ticks.push(Math.round(v / step) * step);
  }
  return ticks;
}

/**
 * Tick labels: the fewest significant digits (up to 7) at which every label
 * reads back as its tick (to a millionth of the tick step), so neighbours
 * differ and none is rounded to a value it is not.
 */
export function tickLabels(ticks: readonly number[]): string[] {
  const step =
    ticks.length > 1
      ? Math.abs((ticks[1] as number) - (ticks[0] as number))
      : Math.abs(ticks[0] ?? 1) || 1;
  const largest = maxAbs(ticks);
  const clean = ticks.map((t) => (Math.abs(t) < 1e-12 * largest ? 0 : t));
  // One notation for the whole axis: exponents when the ticks are all tiny or huge.
  const exponent = largest > 0 && (largest < 1e-3 || largest >= 1e6);
  const format = (t: number, digits: number): string => {
    if (t === 0 || !exponent) return formatNumber(t, digits);
    const [mantissa = '', power = ''] = t.toExponential(digits - 1).split('e');
    return `${mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa}e${power}`;
  };
  for (let digits = 1; digits <= 7; digits++) {
    const labels = clean.map((t) => format(t, digits));
    if (labels.every((l, i) => Math.abs(Number(l) - (clean[i] as number)) <= 1e-6 * step)) {
      return labels;
    }
  }
  return clean.map((t) => format(t, 7));
}

function maxAbs(values: readonly number[]): number {
  return values.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
}

/** [lo, hi] widened by 4% either side, so the extreme points are not cut by the frame. */
export function padded(lo: number, hi: number): [number, number] {
  const pad = (hi - lo) * 0.04;
  return [lo - pad, hi + pad];
}
