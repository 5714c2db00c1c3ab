/**
 * The density colour ramp: a count's share of the largest count on a log
 * scale (so a bin of 1 row among millions still shows), from a pale to a
 * dark blue, interpolated in sRGB between five stops (ColorBrewer's Blues).
 */
const STOPS: readonly (readonly [number, number, number])[] = [
  [198, 219, 239],
  [107, 174, 214],
  [33, 113, 181],
  [8, 69, 148],
  [8, 29, 88],
];

/** t in [0, 1] → `#rrggbb`. */
export function ramp(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(u));
  const f = u - i;
  const a = STOPS[i] as readonly [number, number, number];
  const b = STOPS[i + 1] as readonly [number, number, number];
  return `#${[0, 1, 2]
    .map((k) => Math.round((a[k] as number) + f * ((b[k] as number) - (a[k] as number))))
    .map((v) => v.toString(16).padStart(2, '0'))
    .join('')}`;
}

/** A count's place on the ramp: log(1 + c) / log(1 + max). */
export const densityShade = (count: number, max: number): number =>
  max > 0 ? Math.log1p(count) / Math.log1p(max) : 0;
