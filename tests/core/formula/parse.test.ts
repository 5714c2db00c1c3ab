/**
 * parseFormula / parseExpression: R's precedence (?Syntax), the atoms, the
 * spans, and one FormulaError with a column and a short problem for every way
 * a formula can fail — including input built to exhaust the stack.
 */
import { FormulaError } from '@linreg/errors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  deparse,
  type Expr,
  MAX_FORMULA_LENGTH,
  MAX_NESTING,
  parseExpression,
  parseFormula,
} from '../../../packages/core/src/formula/index.js';

/** The tree without spans, as an s-expression: `a + b:c` is `(+ a (: b c))`. */
function shape(e: Expr): string {
  switch (e.type) {
    case 'name':
      return e.name;
    case 'number':
      return `#${e.value}`;
    case 'string':
      return JSON.stringify(e.value);
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'dot':
      return '.';
    case 'call':
      return `${e.fn}[${e.args.map((a) => (a.name === undefined ? '' : `${a.name}=`) + shape(a.value)).join(' ')}]`;
    case 'unary':
      return `(${e.op} ${shape(e.operand)})`;
    case 'paren':
      return `{${shape(e.inner)}}`;
    case 'binary':
      return `(${e.op} ${shape(e.left)} ${shape(e.right)})`;
  }
}

function formulaShape(text: string): string {
  const f = parseFormula(text);
  return `${f.lhs === undefined ? '' : `${shape(f.lhs)} `}~ ${shape(f.rhs)}`;
}

/** The FormulaError that parsing `text` throws, as [column, problem]. */
function failure(text: string, parse: (t: string) => unknown = parseFormula): [number, string] {
  try {
    parse(text);
  } catch (e) {
    if (!(e instanceof FormulaError)) throw e;
    expect(e.formula).toBe(text);
    // A long formula is quoted by its first 57 characters (FormulaError).
    const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
    expect(e.message).toBe(`formula '${shown}': column ${e.position}: ${e.problem}`);
    return [e.position, e.problem];
  }
  throw new Error(`'${text}' parsed`);
}

describe('precedence (R ?Syntax)', () => {
  it.each([
    ['-2^2', '(- (^ #2 #2))'],
    ['-1:2', '(: (- #1) #2)'],
    ['a + b:c*d', '(+ a (* (: b c) d))'],
    ['a^b^c', '(^ a (^ b c))'],
    ['2^-1:3', '(: (^ #2 (- #1)) #3)'],
    ['a^-b^c', '(^ a (- (^ b c)))'],
    ['-a*b', '(* (- a) b)'],
    ['a * -b:c', '(* a (: (- b) c))'],
    ['a - b - c', '(- (- a b) c)'],
    ['a / b * c', '(* (/ a b) c)'],
    ['a:b:c', '(: (: a b) c)'],
    ['a %in% b:c', '(%in% a (: b c))'],
    ['a * b %in% c', '(* a (%in% b c))'],
    ['a %in% b %in% c', '(%in% (%in% a b) c)'],
    ['a + b %in% c * d', '(+ a (* (%in% b c) d))'],
    ['- -x', '(- (- x))'],
    ['+x - 1', '(- (+ x) #1)'],
    ['a - -b', '(- a (- b))'],
    ['x**2', '(^ x #2)'],
  ])('%s', (text, tree) => {
    expect(shape(parseExpression(text))).toBe(tree);
  });
});

describe('formulas statisticians write', () => {
  it.each([
    ['y ~ .', 'y ~ .'],
    ['y ~ . - x', 'y ~ (- . x)'],
    ['y ~ (a + b + c)^2', 'y ~ (^ {(+ (+ a b) c)} #2)'],
    ['y ~ a*b - 1', 'y ~ (- (* a b) #1)'],
    ['y ~ 0 + a', 'y ~ (+ #0 a)'],
    ['y ~ -1 + a', 'y ~ (+ (- #1) a)'],
    ['log(y) ~ x', 'log[y] ~ x'],
    ['cbind(y1, y2) ~ x', 'cbind[y1 y2] ~ x'],
    ['y ~ poly(x, 3, raw = TRUE)', 'y ~ poly[x #3 raw=TRUE]'],
    ['y ~ C(cut, ref = "Good")', 'y ~ C[cut ref="Good"]'],
    ["y ~ C(cut, ref = 'Good')", 'y ~ C[cut ref="Good"]'],
    ['y ~ I(x^2) + offset(log(e))', 'y ~ (+ I[(^ x #2)] offset[log[e]])'],
    ['y ~ a %in% b', 'y ~ (%in% a b)'],
    ['y ~ f()', 'y ~ f[]'],
    ['~ x', '~ x'],
    ['~ a + b', '~ (+ a b)'],
    ['`unit price` ~ `a b` + x', 'unit price ~ (+ a b x)'],
    ['y ~ `a\\`b` + `c\\\\d`', 'y ~ (+ a`b c\\d)'],
    ['y~a+b', 'y ~ (+ a b)'],
    ['\ty\n~\n  a +\r\n b ', 'y ~ (+ a b)'],
    ['y ~ T + F + TRUE + FALSE', 'y ~ (+ (+ (+ T F) TRUE) FALSE)'],
    ['y ~ .x + x.y + x_1 + ..1 + größe', 'y ~ (+ (+ (+ (+ .x x.y) x_1) ..1) größe)'],
    ['y ~ .(x) + `my f`(x)', 'y ~ (+ .[x] my f[x])'],
    ['y ~ f(`a b` = 1, x = Inf, z = NaN)', 'y ~ f[a b=#1 x=#Infinity z=#NaN]'],
  ])('%s', (text, tree) => {
    expect(formulaShape(text)).toBe(tree);
  });

  it('keeps the text and leaves lhs undefined for a one-sided formula', () => {
    const f = parseFormula('~ x + z');
    expect(f.text).toBe('~ x + z');
    expect(f.lhs).toBeUndefined();
  });

  it('reads numbers, strings and escapes', () => {
    const numbers = ['2', '0.5', '.5', '1.', '1e-3', '1E3', '2.5e+7', '007'];
    for (const text of numbers) {
      expect(parseExpression(text)).toEqual({
        type: 'number',
        value: Number(text),
        text,
        start: 0,
        end: text.length,
      });
    }
    const s = parseExpression(String.raw`f("a\"b\\c\n\t\r'", 'it\'s "x"')`);
    expect(shape(s)).toBe(String.raw`f["a\"b\\c\n\t\r'" "it's \"x\""]`);
  });
});

describe('spans', () => {
  it('gives every node its 0-based, end-exclusive offsets', () => {
    const text = 'log(y) ~ a + `b c`:(d - "e")';
    const f = parseFormula(text);
    const slice = (e: Expr) => text.slice(e.start, e.end);
    expect(f.lhs).toMatchObject({ type: 'call', start: 0, end: 6 });
    const rhs = f.rhs;
    if (rhs.type !== 'binary') throw new Error('rhs is not binary');
    expect(slice(rhs)).toBe('a + `b c`:(d - "e")');
    expect(slice(rhs.left)).toBe('a');
    const colon = rhs.right;
    if (colon.type !== 'binary') throw new Error('not binary');
    expect(slice(colon)).toBe('`b c`:(d - "e")');
    expect(slice(colon.left)).toBe('`b c`');
    expect(colon.right).toMatchObject({ type: 'paren', start: 19, end: 28 });
    if (colon.right.type !== 'paren' || colon.right.inner.type !== 'binary')
      throw new Error('shape');
    expect(slice(colon.right.inner.right)).toBe('"e"');
  });

  it('spans unary signs, calls with named arguments, and dots', () => {
    const text = ' - x^2 + poly(z, raw = TRUE) + .';
    const e = parseExpression(text);
    const slice = (n: Expr) => text.slice(n.start, n.end);
    if (e.type !== 'binary' || e.left.type !== 'binary') throw new Error('shape');
    expect(slice(e)).toBe('- x^2 + poly(z, raw = TRUE) + .');
    expect(slice(e.left.left)).toBe('- x^2');
    expect(slice(e.left.right)).toBe('poly(z, raw = TRUE)');
    expect(e.right).toEqual({ type: 'dot', start: 31, end: 32 });
    if (e.left.right.type !== 'call') throw new Error('shape');
    expect(e.left.right.args[1]?.value).toEqual({
      type: 'boolean',
      value: true,
      start: 23,
      end: 27,
    });
  });
});

describe('errors: one FormulaError with the column and the problem', () => {
  it.each([
    ['y ~ a +', 8, "expected a term after '+', found end of formula"],
    ['y ~ log(a', 10, "unclosed '(' opened at column 8"],
    ['y ~ (a + b', 11, "unclosed '(' opened at column 5"],
    ['y ~ a)', 6, "unexpected ')'"],
    ['y ~ f("abc', 7, 'unterminated string'],
    ["y ~ f('abc\\'", 7, 'unterminated string'],
    ['y ~ a ~ b', 7, "more than one '~'"],
    ['y ~ ~ b', 5, "more than one '~'"],
    ['y ~ (a ~ b)', 8, "more than one '~'"],
    ['', 1, 'empty formula'],
    [' \n\t', 1, 'empty formula'],
    ['y ~ a %o% b', 7, "unknown operator '%o%'"],
    ['y ~ a %% b', 7, "unknown operator '%%'"],
    ['y ~ a % b', 7, "unterminated '%' operator"],
    ['y ~ a == b', 7, "unknown operator '=='"],
    ['y ~ a$b', 6, "unknown operator '$'"],
    ['y ~ stats::poly(x)', 10, "unknown operator '::'"],
    ['y ~ a[1]', 6, "unexpected character '['"],
    ['y = x', 3, "'=' outside a function call"],
    ['y ~ (a = 1)', 8, "'=' outside a function call"],
    ['y ~ f(a + b = 1)', 13, "expected an argument name before '='"],
    ['y ~ a b', 7, "expected an operator, found 'b'"],
    ['y x ~ a', 3, "expected an operator or '~', found 'x'"],
    ['y ~ (a b)', 8, "expected an operator or ')', found 'b'"],
    ['y ~ f(a "b")', 9, `expected an operator, ',' or ')', found "b"`],
    ['log(y ~ x)', 7, "expected an operator, ',' or ')', found '~'"],
    ['y ~ f(a,)', 9, "expected an argument after ',', found ')'"],
    ['y ~ f(,a)', 7, "expected an argument after '(', found ','"],
    ['y ~ f(a =)', 10, "expected a value after '=', found ')'"],
    ['y', 2, "expected an operator or '~', found end of formula"],
    ['~', 2, "expected a term after '~', found end of formula"],
    ['y ~', 4, "expected a term after '~', found end of formula"],
    ['* x ~ y', 1, "expected a term, found '*'"],
    ['y ~ ()', 6, "expected a term after '(', found ')'"],
    ['y ~ a * / b', 9, "expected a term after '*', found '/'"],
    ['y ~ `a', 5, 'unterminated backquoted name'],
    ['y ~ ``', 5, 'empty backquoted name'],
    ['y ~ f("a\\qb")', 9, "unknown escape '\\q' in a string"],
    ['y ~ 2x', 5, "malformed number '2x'"],
    ['y ~ 1e', 5, "malformed number '1e'"],
    ['y ~ 0x10', 5, "malformed number '0x10'"],
    ['y ~ 1.2.3', 5, "malformed number '1.2.3'"],
    ['y ~ NULL', 5, "'NULL' is a reserved word; write `NULL` for a column of that name"],
    ['y ~ if + a', 5, "'if' is a reserved word; write `if` for a column of that name"],
    ['y ~ TRUE(x)', 9, "expected an operator, found '('"],
    ['y ~ averyveryverylongname_abcdefgh z', 36, "expected an operator, found 'z'"],
    [
      'y ~ a verylongcolumnname_abcdefghijk',
      7,
      "expected an operator, found 'verylongcolumnname_abcd…'",
    ],
  ])('%j', (text, column, problem) => {
    expect(failure(text)).toEqual([column, problem]);
  });

  it('parseExpression names the expression, and refuses a ~', () => {
    expect(failure('', parseExpression)).toEqual([1, 'empty expression']);
    expect(failure('a +', parseExpression)).toEqual([
      4,
      "expected a term after '+', found end of expression",
    ]);
    expect(failure('a ~ b', parseExpression)).toEqual([3, "unexpected '~' in an expression"]);
    expect(failure('a)', parseExpression)).toEqual([2, "unexpected ')'"]);
    expect(failure('a b', parseExpression)).toEqual([3, "expected an operator, found 'b'"]);
  });

  it('reports the first error in reading order', () => {
    expect(failure('y ~ ) + "abc')).toEqual([5, "expected a term after '~', found ')'"]);
  });

  it('refuses a value that is not a string', () => {
    expect(() => parseFormula(42 as unknown as string)).toThrow(FormulaError);
  });
});

describe('pathological input', () => {
  const nested = (depth: number, open: string, close: string) =>
    `y ~ ${open.repeat(depth)}x${close.repeat(depth)}`;

  it(`accepts nesting ${MAX_NESTING} deep and refuses one more without a stack overflow`, () => {
    expect(() => parseFormula(nested(MAX_NESTING, '(', ')'))).not.toThrow();
    expect(failure(nested(MAX_NESTING + 1, '(', ')'))).toEqual([
      4 + MAX_NESTING + 1,
      `nesting deeper than ${MAX_NESTING} levels`,
    ]);
    for (const [open, close] of [
      ['(', ')'],
      ['f(', ')'],
      ['-', ''],
      ['x^', ''],
      ['I(-(', '))'],
    ] as const) {
      const text = nested(30_000 / open.length, open, close);
      const [, problem] = failure(text);
      expect(problem).toBe(`nesting deeper than ${MAX_NESTING} levels`);
    }
  });

  it('parses and deparses a long chain of terms without recursion', () => {
    const terms = Array.from({ length: 12_000 }, (_, i) => `x${i}`);
    const text = `y ~ ${terms.join(' + ')}`;
    expect(text.length).toBeLessThan(MAX_FORMULA_LENGTH);
    const f = parseFormula(text);
    expect(deparse(f.rhs)).toBe(terms.join(' + '));
  });

  it(`refuses a formula longer than ${MAX_FORMULA_LENGTH} characters, quoting only its start`, () => {
    const text = `y ~ ${'x'.repeat(MAX_FORMULA_LENGTH)}`;
    try {
      parseFormula(text);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormulaError);
      const error = e as FormulaError;
      expect(error.position).toBe(MAX_FORMULA_LENGTH + 1);
      expect(error.problem).toBe(`formula longer than ${MAX_FORMULA_LENGTH} characters (100004)`);
      expect(error.formula.length).toBeLessThan(50);
    }
  });
});

describe('deparse(parse(text)) parses back to the same tree', () => {
  const name = fc.constantFrom(
    'a',
    'b',
    'x1',
    '.',
    '`a b`',
    'T',
    'TRUE',
    '2',
    '0.5',
    '1e-5',
    '"s"',
  );
  const expr: fc.Arbitrary<string> = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      name,
      fc
        .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/', '^', ':', '%in%'), tie('e'))
        .map(([l, op, r]) => `${l} ${op} ${r}`),
      fc.tuple(fc.constantFrom('-', '+'), tie('e')).map(([op, e]) => `${op}${e}`),
      tie('e').map((e) => `(${e})`),
      fc.array(tie('e'), { maxLength: 3 }).map((args) => `f(${args.join(', ')})`),
      tie('e').map((e) => `g(x, k = ${e})`),
    ),
  })).e;

  it('for random expressions', () => {
    fc.assert(
      fc.property(expr, (text) => {
        const tree = parseExpression(text);
        const again = parseExpression(deparse(tree));
        expect(shape(again)).toBe(shape(tree));
        expect(deparse(again)).toBe(deparse(tree));
      }),
      { numRuns: 500 },
    );
  });
});
