/**
 * Number formatting for the summary table, after R's print.summary.lm:
 * estimates with 4 significant digits, p-values by `format.pval` (values
 * below machine epsilon print as `< 2.2e-16`), NaN as `NA`.
 */

const EPS = 2.220446049250313e-16;

/** `digits` significant digits; exponent notation outside [1e-4, 1e6). NaN → NA. */
export function formatNumber(value: number, digits = 4): string {
  if (Number.isNaN(value)) return 'NA';
  if (value === Number.POSITIVE_INFINITY) return 'Inf';
  if (value === Number.NEGATIVE_INFINITY) return '-Inf';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude < 1e-4 || magnitude >= 1e6) {
    const [mantissa = '', exponent = ''] = value.toExponential(digits - 1).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const e = Number(exponent);
    return `${m}e${e < 0 ? '-' : '+'}${String(Math.abs(e)).padStart(2, '0')}`;
  }
  // toPrecision then Number() drops trailing zeros (1.500 → 1.5) without an exponent here.
  return String(Number(value.toPrecision(digits)));
}

/**
 * C's `%.{digits}g` (R's formatC default): exponent notation when the
 * exponent is below -4 or at least `digits`, trailing zeros dropped.
 */
export function formatG(value: number, digits = 4): string {
  if (!Number.isFinite(value) || value === 0) return formatNumber(value, digits);
  const exponent = Math.floor(Math.log10(Math.abs(Number(value.toPrecision(digits)))));
  if (exponent < -4 || exponent >= digits) {
    const [mantissa = '', e = ''] = value.toExponential(digits - 1).split('e');
    const m = mantissa.includes('.') ? mantissa.replace(/\.?0+$/, '') : mantissa;
    const n = Number(e);
    return `${m}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  return String(Number(value.toPrecision(digits)));
}

/** R's format.pval with digits = 3 and eps = machine epsilon. */
export function formatPValue(p: number): string {
  if (Number.isNaN(p)) return 'NA';
  if (p < EPS) return '<2e-16';
  return formatNumber(p, 3);
}

/** Significance stars of R's `symnum` legend. */
export function stars(p: number): string {
  if (Number.isNaN(p)) return '';
  if (p < 0.001) return '***';
  if (p < 0.01) return '**';
  if (p < 0.05) return '*';
  if (p < 0.1) return '.';
  return '';
}

export const SIGNIF_LEGEND = "Signif. codes:  0 '***' 0.001 '**' 0.01 '*' 0.05 '.' 0.1 ' ' 1";

/** The percent label of a confidence bound, e.g. level 0.95 → '2.5 %' and '97.5 %'. */
export function ciLabels(level: number): [string, string] {
  const lo = ((1 - level) / 2) * 100;
  const hi = 100 - lo;
  const fmt = (x: number): string => `${String(Number(x.toPrecision(3)))} %`;
  return [fmt(lo), fmt(hi)];
}
