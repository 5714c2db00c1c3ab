/** Small vector helpers of the SGD driver (length-d parameter vectors). */

export function norm2(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  return Math.sqrt(s);
}

/** ‖a − b‖. */
export function distance(a: Float64Array, b: Float64Array): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += (a[i] - b[i]) * (a[i] - b[i]);
  return Math.sqrt(d);
}

/** ‖a − b‖ / ‖b‖ (absolute when b = 0). */
export function relativeDistance(a: Float64Array, b: Float64Array): number {
  const scale = norm2(b);
  return scale > 0 ? distance(a, b) / scale : distance(a, b);
}

export function allFinite(v: Float64Array): boolean {
  for (let i = 0; i < v.length; i++) if (!Number.isFinite(v[i])) return false;
  return true;
}
