/**
 * Renders an alias relation `x[column] = Σ coef·x[term]` as one line of text,
 * e.g. `x2 = x1 + 1·(Intercept)` or `x3 = 0.5·x1 - 2·x2`.
 *
 * Rules: terms print in the given order, except that the intercept term, the
 * relation's constant, goes last; coefficients print with at most 6 significant digits (so 0.9999999999998
 * prints as 1); a feature's coefficient ±1 is left out (`x1`, `- x1`); the
 * intercept column always shows its coefficient, which is the constant the
 * relation adds (`1·(Intercept)`); terms with a zero coefficient are left out
 * (tiny ones are kept: which terms matter is the solver's call, not the
 * renderer's); a relation with no remaining term reads `x = 0` (a column that is zero
 * on every used row).
 */
import type { ModelRelationTerm } from './model.js';
import { INTERCEPT_NAME } from './model.js';

const MINUS = '-';
const DOT = '\u00b7';

/** At most 6 significant digits, no trailing zeros, no exponent for ordinary magnitudes. */
export function formatRelationCoef(value: number): string {
  return String(Number(value.toPrecision(6)));
}

export function relationText(name: string, terms: readonly ModelRelationTerm[]): string {
  let text = '';
  const ordered = [
    ...terms.filter((t) => t.name !== INTERCEPT_NAME),
    ...terms.filter((t) => t.name === INTERCEPT_NAME),
  ];
  for (const term of ordered) {
    const magnitude = formatRelationCoef(Math.abs(term.coef));
    if (magnitude === '0') continue;
    const negative = term.coef < 0;
    const body =
      magnitude === '1' && term.name !== INTERCEPT_NAME
        ? term.name
        : `${magnitude}${DOT}${term.name}`;
    if (text === '') text = negative ? `${MINUS} ${body}` : body;
    else text += negative ? ` ${MINUS} ${body}` : ` + ${body}`;
  }
  return `${name} = ${text === '' ? '0' : text}`;
}
