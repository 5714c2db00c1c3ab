/**
 * deparse / formulaText against R: every expected string below was checked
 * against R 4.2.2's deparse() (`Rscript -e 'deparse(quote(...))'`, and
 * deparse(y ~ ...) for formulas), so R is not needed to run this file.
 */
import { describe, expect, it } from 'vitest';
import {
  deparse,
  type Expr,
  formulaText,
  parseExpression,
  parseFormula,
} from '../../../packages/core/src/formula/index.js';

const number = (value: number): Expr => ({
  type: 'number',
  value,
  text: String(value),
  start: 0,
  end: 0,
});
const string = (value: string): Expr => ({ type: 'string', value, start: 0, end: 0 });
const name = (n: string): Expr => ({ type: 'name', name: n, start: 0, end: 0 });

/** [source text, R 4.2.2's deparse(quote(<source>))]. */
const EXPRESSIONS: readonly (readonly [string, string])[] = [
  ['I(carat^2)', 'I(carat^2)'],
  ['log(price+1)', 'log(price + 1)'],
  ['poly(depth,3)', 'poly(depth, 3)'],
  ['poly(x, 3, raw=TRUE)', 'poly(x, 3, raw = TRUE)'],
  ["C(cut, ref='Good')", 'C(cut, ref = "Good")'],
  ['a/b', 'a/b'],
  ['a*b', 'a * b'],
  ['a%in%b', 'a %in% b'],
  ['a:b', 'a:b'],
  ['a^b', 'a^b'],
  ['a-b', 'a - b'],
  ['a+b', 'a + b'],
  ['-x', '-x'],
  ['- -x', '--x'],
  ['a - -b', 'a - -b'],
  ['a^-1', 'a^-1'],
  ['-a:b', '-a:b'],
  ['(-a):b', '(-a):b'],
  ['-(a:b)', '-(a:b)'],
  ['-2^2', '-2^2'],
  ['2^-1:3', '2^-1:3'],
  ['a^-b^c', 'a^-b^c'],
  ['a+b:c*d', 'a + b:c * d'],
  ['(a+b+c)^2', '(a + b + c)^2'],
  ['a*b-1', 'a * b - 1'],
  ['0+a', '0 + a'],
  ['.', '.'],
  ['f()', 'f()'],
  ['log(`unit price`)', 'log(`unit price`)'],
  ['`_x`+`2a`', '`_x` + `2a`'],
  ['`if`+`TRUE`+`Inf`', '`if` + `TRUE` + `Inf`'],
  ['f(`a b`=1)', 'f(`a b` = 1)'],
  ['`my f`(x)', '`my f`(x)'],
  ['`.2a`+.x+..1', '`.2a` + .x + ..1'],
  ['f("a\\"b\\\\c")', 'f("a\\"b\\\\c")'],
  ['f(\'say "hi"\')', 'f("say \\"hi\\"")'],
  ['f("tab\\there\\nnewline")', 'f("tab\\there\\nnewline")'],
  ['offset(log(e))', 'offset(log(e))'],
  ['I(x^2)+offset(log(e))', 'I(x^2) + offset(log(e))'],
  ['cbind(y1,y2)', 'cbind(y1, y2)'],
  ['I((a+b)^2)', 'I((a + b)^2)'],
  ['a/(b+c)', 'a/(b + c)'],
  ['T+F', 'T + F'],
  ['TRUE', 'TRUE'],
  ['FALSE', 'FALSE'],
  ['f(x=+1)', 'f(x = +1)'],
  ['x%in%-y', 'x %in% -y'],
  ['a*-b:c', 'a * -b:c'],
  ['Inf', 'Inf'],
  ['NaN', 'NaN'],
  ['x**2', 'x^2'],
  ['exp(1e-3*x)', 'exp(0.001 * x)'],
  ['I(1e5*x)', 'I(1e+05 * x)'],
  ['f(.5)', 'f(0.5)'],
  ['a^b^c', 'a^b^c'],
  ['(a^b)^c', '(a^b)^c'],
  ['größe', 'größe'],
  ['ns(x, df = 4)', 'ns(x, df = 4)'],
  ['log(y, base = 10)', 'log(y, base = 10)'],
  ['scale(x, center = TRUE, scale = FALSE)', 'scale(x, center = TRUE, scale = FALSE)'],
  ['a/b/c', 'a/b/c'],
  ['a-b-c', 'a - b - c'],
  ['a-(b-c)', 'a - (b - c)'],
  ['((x))', '((x))'],
  ['I(-x)', 'I(-x)'],
  ['+x', '+x'],
  ['.(x)', '.(x)'],
  ['f(g(h(x)))', 'f(g(h(x)))'],
  ['a %in% b %in% c', 'a %in% b %in% c'],
  ['f(`a\\\\b`, `a\\nb`)', 'f(`a\\\\b`, `a\\nb`)'],
];

/** [formula text, R 4.2.2's deparse(<formula>)]. */
const FORMULAS: readonly (readonly [string, string])[] = [
  ['y ~ .', 'y ~ .'],
  ['y ~ . - x', 'y ~ . - x'],
  ['y ~ (a + b + c)^2', 'y ~ (a + b + c)^2'],
  ['y ~ a*b - 1', 'y ~ a * b - 1'],
  ['y ~ 0 + a', 'y ~ 0 + a'],
  ['log(y) ~ x', 'log(y) ~ x'],
  ['cbind(y1, y2) ~ x', 'cbind(y1, y2) ~ x'],
  ['y ~ poly(x, 3, raw = TRUE)', 'y ~ poly(x, 3, raw = TRUE)'],
  ['y ~ C(cut, ref = "Good")', 'y ~ C(cut, ref = "Good")'],
  ['y ~ I(x^2) + offset(log(e))', 'y ~ I(x^2) + offset(log(e))'],
  ['~ x', '~x'],
  ['~ a + b:c', '~a + b:c'],
  ['`unit price` ~ `a b` + x', '`unit price` ~ `a b` + x'],
];

/** [literal as written in a formula, R 4.2.2's deparse(<literal>)]. */
const LITERALS: readonly (readonly [string, string])[] = [
  ['2', '2'],
  ['0.5', '0.5'],
  ['1e-3', '0.001'],
  ['1e-5', '1e-05'],
  ['123456789012', '123456789012'],
  ['1e15', '1e+15'],
  ['100000', '1e+05'],
  ['123456', '123456'],
  ['0.1', '0.1'],
  ['1e-4', '1e-04'],
  ['0.0001234', '0.0001234'],
  ['1E3', '1000'],
  ['.5', '0.5'],
  ['1.', '1'],
  ['3.14159', '3.14159'],
  ['1e300', '1e+300'],
  ['1e-300', '1e-300'],
  ['1234567890123456789', '1234567890123456768'],
  ['0.1234567890123456789', '0.123456789012346'],
  ['100', '100'],
  ['1e16', '1e+16'],
  ['12345678901234567890', '12345678901234567168'],
  ['5e-324', '4.94065645841247e-324'],
  ['0.3', '0.3'],
  ['1e-15', '1e-15'],
  ['1e5', '1e+05'],
  ['123456.7', '123456.7'],
  ['1e22', '1e+22'],
  ['1e23', '1e+23'],
  ['2.5e-7', '2.5e-07'],
  ['0.00001234', '1.234e-05'],
  ['1234567', '1234567'],
  ['0.000012345678', '1.2345678e-05'],
  ['1e100', '1e+100'],
  ['1e-99', '1e-99'],
  ['1e-100', '1e-100'],
  ['100000.1', '100000.1'],
  ['99999', '99999'],
  ['1.5e10', '1.5e+10'],
  ['4.94065645841247e-324', '4.94065645841247e-324'],
  ['1.7976931348623157e308', '1.79769313486232e+308'],
];

/** [double, R 4.2.2's deparse(<double>)] for values no one writes as a literal. */
const VALUES: readonly (readonly [number, string])[] = [
  // deparse(1/3), deparse(2/3), deparse(0.1 + 0.2), deparse(pi), deparse(exp(1)),
  // deparse(sqrt(2) * 1e10), deparse(1/7 * 1e-8)
  [1 / 3, '0.333333333333333'],
  [2 / 3, '0.666666666666667'],
  [0.1 + 0.2, '0.3'],
  [Math.PI, '3.14159265358979'],
  [Math.E, '2.71828182845905'],
  [Math.SQRT2 * 1e10, '14142135623.731'],
  [(1 / 7) * 1e-8, '1.42857142857143e-09'],
  [-0.001, '-0.001'],
  [-1e-5, '-1e-05'],
  [-123456, '-123456'],
  [-100000, '-1e+05'],
  [-1 / 3, '-0.333333333333333'],
  [-0, '0'],
  [Infinity, 'Inf'],
  [-Infinity, '-Inf'],
  [NaN, 'NaN'],
];

describe('deparse matches R 4.2.2', () => {
  it.each(EXPRESSIONS)('%s', (source, r) => {
    expect(deparse(parseExpression(source))).toBe(r);
  });

  it.each(FORMULAS)('%s', (source, r) => {
    expect(formulaText(parseFormula(source))).toBe(r);
  });

  it.each(LITERALS)('number %s', (source, r) => {
    expect(deparse(parseExpression(source))).toBe(r);
  });

  it.each(VALUES)('number %d', (value, r) => {
    expect(deparse(number(value))).toBe(r);
  });

  it('escapes strings as R does', () => {
    // deparse("\a\b\f\v\177\033") and deparse("\u00e9\u0080") in R 4.2.2 (UTF-8 locale)
    expect(deparse(string('\x07\b\f\v\x7f\x1b'))).toBe('"\\a\\b\\f\\v\\177\\033"');
    expect(deparse(string('é\u0080'))).toBe('"é\\u0080"');
    expect(deparse(string(`it's "x" \\`))).toBe('"it\'s \\"x\\" \\\\"');
  });
});

describe('where deparse differs from R on purpose', () => {
  it('backquotes a bare non-syntactic name, as R names the coefficient (R deparse: unit price)', () => {
    // lm(y ~ `a b`) names its coefficient `a b`; deparse(quote(`a b`)) alone gives a b.
    expect(deparse(parseExpression('`unit price`'))).toBe('`unit price`');
    expect(deparse(name('2a'))).toBe('`2a`');
    expect(deparse(name('NA'))).toBe('`NA`');
  });

  it('never wraps a long expression (R breaks lines past width.cutoff = 60)', () => {
    const long = Array.from({ length: 30 }, (_, i) => `x${i}`).join(' + ');
    expect(deparse(parseExpression(long))).toBe(long);
  });
});
