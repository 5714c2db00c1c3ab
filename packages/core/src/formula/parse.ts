/**
 * R's model-formula grammar, hand-written recursive descent: `lhs ~ rhs` or
 * `~ rhs` with R's operator precedence (?Syntax). Every failure is one
 * FormulaError naming the 1-based column and what was expected and found.
 * Tokens are read on demand, so the first error in reading order is the one
 * reported (a bad string at the end does not hide an earlier mistake).
 */
import { FormulaError } from '@linreg/errors';
import type { Argument, BinaryOp, Expr, Formula } from './ast.js';
import { CONSTANTS, RESERVED } from './reserved.js';

/** Longer input is refused before parsing (a guard against pathological input). */
export const MAX_FORMULA_LENGTH = 100_000;
/** Parentheses, calls, unary signs and `^` right operands nest at most this deep. */
export const MAX_NESTING = 200;

type Token =
  | { readonly kind: 'op'; readonly op: BinaryOp; readonly start: number; readonly end: number }
  | {
      /** name: an identifier as written; quoted: a backquoted name (value unescaped). */
      readonly kind: 'name' | 'quoted' | 'number' | 'string';
      readonly value: string;
      readonly start: number;
      readonly end: number;
    }
  | {
      readonly kind: Punctuation | 'end';
      readonly start: number;
      readonly end: number;
    };

type Fail = (at: number, problem: string) => never;

const WHITESPACE = /[ \t\n\r\f]*/y;
const NUMBER = /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
/** R's syntactic names; a leading '.' followed by a digit was taken as a number before. */
const NAME = /[\p{L}.][\p{L}0-9._]*/uy;
const NAME_CHARS = /[\p{L}0-9._]+/uy;
const PERCENT = /%[^%\n]*%/y;

type Punctuation = '(' | ')' | ',' | '=' | '~';
const PUNCTUATION: ReadonlyMap<string, Punctuation> = new Map(
  (['(', ')', ',', '=', '~'] as const).map((p) => [p, p]),
);
const OPERATORS: ReadonlyMap<string, BinaryOp> = new Map(
  (['+', '-', '*', '/', '^', ':'] as const).map((op) => [op, op]),
);

/** R operators outside the formula grammar: named as operators rather than as stray characters. */
const FOREIGN_OPERATORS = [
  ':::',
  '::',
  '<<-',
  '->>',
  '==',
  '!=',
  '<=',
  '>=',
  '<-',
  '->',
  '&&',
  '||',
  '|>',
  '<',
  '>',
  '!',
  '&',
  '|',
  '$',
  '@',
  '?',
];

/** The escapes R users write in formulas; others (`\x41`, `\u00e9`) are refused, not guessed. */
const ESCAPES: ReadonlyMap<string, string> = new Map([
  ['\\', '\\'],
  ['"', '"'],
  ["'", "'"],
  ['`', '`'],
  ['n', '\n'],
  ['t', '\t'],
  ['r', '\r'],
]);

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

/** The character (code point, not UTF-16 unit) at `at`, for problems that quote it. */
function characterAt(text: string, at: number): string {
  return String.fromCodePoint(text.codePointAt(at) ?? 0);
}

/** Source text quoted in a problem, cut short so one problem stays one short line. */
function clip(source: string): string {
  return source.length > 24 ? `${source.slice(0, 23)}…` : source;
}

/** Splits the text into tokens on demand, with up to two tokens of lookahead. */
class Lexer {
  private readonly ahead: Token[] = [];
  private pos = 0;

  constructor(
    private readonly text: string,
    private readonly fail: Fail,
  ) {}

  peek(k = 0): Token {
    while (this.ahead.length <= k) this.ahead.push(this.scan());
    return this.ahead[k] as Token;
  }

  next(): Token {
    const t = this.peek();
    this.ahead.shift();
    return t;
  }

  private token(
    kind: 'name' | 'quoted' | 'number' | 'string',
    start: number,
    end: number,
    value: string,
  ): Token {
    this.pos = end;
    return { kind, value, start, end };
  }

  private scan(): Token {
    const { text } = this;
    this.pos += matchAt(WHITESPACE, text, this.pos)?.length ?? 0;
    const start = this.pos;
    if (start >= text.length) return { kind: 'end', start, end: start };
    const number = matchAt(NUMBER, text, start);
    if (number !== undefined) {
      const end = start + number.length;
      const tail = matchAt(NAME_CHARS, text, end);
      if (tail !== undefined) this.fail(start, `malformed number '${clip(number + tail)}'`);
      return this.token('number', start, end, number);
    }
    const name = matchAt(NAME, text, start);
    if (name !== undefined) return this.token('name', start, start + name.length, name);
    const c = text.charAt(start);
    if (c === '`') {
      const { value, end } = this.quoted('`', 'backquoted name');
      if (value === '') this.fail(start, 'empty backquoted name');
      return this.token('quoted', start, end, value);
    }
    if (c === '"' || c === "'") {
      const { value, end } = this.quoted(c, 'string');
      return this.token('string', start, end, value);
    }
    if (c === '%') return this.percent(start);
    if (text.startsWith('**', start)) return this.op('^', start, 2); // R reads `**` as `^`
    const foreign = FOREIGN_OPERATORS.find((op) => text.startsWith(op, start));
    if (foreign !== undefined) this.fail(start, `unknown operator '${foreign}'`);
    const punctuation = PUNCTUATION.get(c);
    if (punctuation !== undefined) {
      this.pos = start + 1;
      return { kind: punctuation, start, end: start + 1 };
    }
    const op = OPERATORS.get(c);
    if (op === undefined)
      return this.fail(start, `unexpected character '${characterAt(text, start)}'`);
    return this.op(op, start, 1);
  }

  private op(op: BinaryOp, start: number, length: number): Token {
    this.pos = start + length;
    return { kind: 'op', op, start, end: start + length };
  }

  private percent(start: number): Token {
    const op = matchAt(PERCENT, this.text, start);
    if (op === undefined) this.fail(start, "unterminated '%' operator");
    if (op !== '%in%') this.fail(start, `unknown operator '${clip(op)}'`);
    return this.op('%in%', start, op.length);
  }

  /** A quoted string or name from `this.pos` (the opening quote); R's escapes in ESCAPES. */
  private quoted(close: string, what: string): { value: string; end: number } {
    const { text } = this;
    let value = '';
    let i = this.pos + 1;
    while (i < text.length) {
      const c = text.charAt(i);
      if (c === close) return { value, end: i + 1 };
      if (c === '\\') {
        if (i + 1 >= text.length) break;
        const escaped = ESCAPES.get(text.charAt(i + 1));
        if (escaped === undefined) {
          this.fail(i, `unknown escape '\\${characterAt(text, i + 1)}' in a ${what}`);
        }
        value += escaped;
        i += 2;
      } else {
        value += c;
        i += 1;
      }
    }
    return this.fail(this.pos, `unterminated ${what}`);
  }
}

/** Where an expression ends: the whole input, inside `( … )`, or an argument of a call. */
type Context = { readonly kind: 'top' } | { readonly kind: 'paren' | 'call'; readonly open: Token };
const TOP: Context = { kind: 'top' };

/** Binary levels from loosest to tightest; unary signs and `^` sit below the last. */
const LEVELS: readonly (readonly BinaryOp[])[] = [['+', '-'], ['*', '/'], ['%in%'], [':']];

class Parser {
  private readonly lexer: Lexer;
  /** Top-level `~` read so far (formula mode). */
  private tildes = 0;
  private depth = 0;
  /** The token read last, for "expected a term after '+'". */
  private last: Token | undefined;

  constructor(
    readonly text: string,
    readonly what: 'formula' | 'expression',
  ) {
    this.lexer = new Lexer(text, (at, problem) => this.fail(at, problem));
  }

  fail(at: number, problem: string): never {
    throw new FormulaError(this.text, at + 1, problem);
  }

  peek(k = 0): Token {
    return this.lexer.peek(k);
  }

  take(): Token {
    this.last = this.lexer.next();
    return this.last;
  }

  /** Read the top-level `~`: from here another `~` is "more than one". */
  tilde(): void {
    this.take();
    this.tildes += 1;
  }

  /** A whole expression: the loosest binary level. */
  expression(): Expr {
    return this.binary(0);
  }

  /** Left-associative levels, by a loop, so `a + b + … + z` costs no stack. */
  private binary(level: number): Expr {
    const ops = LEVELS[level];
    if (ops === undefined) return this.unary();
    let left = this.binary(level + 1);
    for (let t = this.peek(); t.kind === 'op' && ops.includes(t.op); t = this.peek()) {
      this.take();
      const right = this.binary(level + 1);
      left = { type: 'binary', op: t.op, left, right, start: left.start, end: right.end };
    }
    return left;
  }

  /** Unary signs bind looser than `^` and tighter than `:`: `-2^2` is -(2^2), `-1:2` is (-1):2. */
  private unary(): Expr {
    const t = this.peek();
    if (t.kind !== 'op' || (t.op !== '+' && t.op !== '-')) return this.power();
    const op = t.op;
    this.take();
    const operand = this.nest(t, () => this.unary());
    return { type: 'unary', op, operand, start: t.start, end: operand.end };
  }

  /** `^` is right-associative and its right side may carry a sign: `a^-b^c` is a^(-(b^c)). */
  private power(): Expr {
    const base = this.primary();
    const t = this.peek();
    if (t.kind !== 'op' || t.op !== '^') return base;
    this.take();
    const exponent = this.nest(t, () => this.unary());
    return {
      type: 'binary',
      op: '^',
      left: base,
      right: exponent,
      start: base.start,
      end: exponent.end,
    };
  }

  private primary(): Expr {
    const t = this.peek();
    switch (t.kind) {
      case 'number':
        this.take();
        return {
          type: 'number',
          value: Number(t.value),
          text: t.value,
          start: t.start,
          end: t.end,
        };
      case 'string':
        this.take();
        return { type: 'string', value: t.value, start: t.start, end: t.end };
      case 'quoted':
        this.take();
        if (this.peek().kind === '(') return this.call(t, t.value);
        return { type: 'name', name: t.value, start: t.start, end: t.end };
      case 'name':
        this.take();
        return this.word(t, t.value);
      case '(':
        return this.paren(t);
      default:
        return this.expectedTerm(t, 'a term');
    }
  }

  /** An unquoted word: a constant, `.`, a reserved word (refused), a call or a name. */
  private word(t: Token, word: string): Expr {
    const { start, end } = t;
    if (RESERVED.has(word)) {
      this.fail(start, `'${word}' is a reserved word; write \`${word}\` for a column of that name`);
    }
    if (word === 'TRUE' || word === 'FALSE') {
      return { type: 'boolean', value: word === 'TRUE', start, end };
    }
    if (word === 'Inf' || word === 'NaN') {
      return { type: 'number', value: word === 'Inf' ? Infinity : NaN, text: word, start, end };
    }
    if (this.peek().kind === '(') return this.call(t, word);
    if (word === '.') return { type: 'dot', start, end };
    return { type: 'name', name: word, start, end };
  }

  private paren(open: Token): Expr {
    this.take();
    return this.nest(open, () => {
      const inner = this.expression();
      const close = this.peek();
      if (close.kind !== ')') this.unexpected(close, { kind: 'paren', open });
      this.take();
      return { type: 'paren', inner, start: open.start, end: close.end };
    });
  }

  private call(fn: Token, name: string): Expr {
    const open = this.take();
    return this.nest(open, () => {
      const args: Argument[] = [];
      if (this.peek().kind !== ')') {
        for (;;) {
          args.push(this.argument());
          const t = this.peek();
          if (t.kind === ')') break;
          if (t.kind !== ',') this.unexpected(t, { kind: 'call', open });
          this.take();
        }
      }
      const close = this.take();
      return { type: 'call', fn: name, args, start: fn.start, end: close.end };
    });
  }

  /** `value` or `name = value`; the name is a name token directly followed by `=`. */
  private argument(): Argument {
    const t = this.peek();
    const named =
      (t.kind === 'quoted' ||
        (t.kind === 'name' && !RESERVED.has(t.value) && !CONSTANTS.has(t.value))) &&
      this.peek(1).kind === '=';
    if (named) {
      this.take();
      this.take();
      if (!startsTerm(this.peek())) this.expectedTerm(this.peek(), 'a value');
      return { name: t.value, value: this.expression() };
    }
    if (!startsTerm(t)) this.expectedTerm(t, 'an argument');
    return { value: this.expression() };
  }

  /** Parse one level deeper; refuses nesting past MAX_NESTING so the stack cannot overflow. */
  private nest<T>(at: Token, parse: () => T): T {
    this.depth += 1;
    if (this.depth > MAX_NESTING) this.fail(at.start, `nesting deeper than ${MAX_NESTING} levels`);
    const result = parse();
    this.depth -= 1;
    return result;
  }

  /** `t` stands where a term should start. */
  expectedTerm(t: Token, noun: string): never {
    if (t.kind === '~' && this.what === 'formula' && this.tildes > 0) {
      this.fail(t.start, "more than one '~'");
    }
    const after = this.last === undefined ? '' : ` after ${this.show(this.last)}`;
    return this.fail(t.start, `expected ${noun}${after}, found ${this.show(t)}`);
  }

  /** `t` follows a complete expression in `context` and does not end it. */
  unexpected(t: Token, context: Context): never {
    if (t.kind === 'end' && context.kind !== 'top') {
      this.fail(t.start, `unclosed '(' opened at column ${context.open.start + 1}`);
    }
    if (t.kind === ')' && context.kind === 'top') this.fail(t.start, "unexpected ')'");
    if (t.kind === '~') {
      if (this.what === 'expression') this.fail(t.start, "unexpected '~' in an expression");
      if (this.tildes > 0) this.fail(t.start, "more than one '~'");
    }
    if (t.kind === '=') {
      this.fail(
        t.start,
        context.kind === 'call'
          ? "expected an argument name before '='"
          : "'=' outside a function call",
      );
    }
    const expected =
      context.kind === 'paren'
        ? "an operator or ')'"
        : context.kind === 'call'
          ? "an operator, ',' or ')'"
          : this.what === 'formula' && this.tildes === 0
            ? "an operator or '~'"
            : 'an operator';
    return this.fail(t.start, `expected ${expected}, found ${this.show(t)}`);
  }

  /** A token as a problem quotes it: strings and backquoted names as written, others in quotes. */
  private show(t: Token): string {
    if (t.kind === 'end') return `end of ${this.what}`;
    const shown = clip(this.text.slice(t.start, t.end));
    return t.kind === 'string' || t.kind === 'quoted' ? shown : `'${shown}'`;
  }
}

function startsTerm(t: Token): boolean {
  switch (t.kind) {
    case 'name':
    case 'quoted':
    case 'number':
    case 'string':
    case '(':
      return true;
    case 'op':
      return t.op === '+' || t.op === '-';
    default:
      return false;
  }
}

function parser(text: string, what: 'formula' | 'expression'): Parser {
  if (typeof text !== 'string') {
    throw new FormulaError(String(text), 1, `a ${what} must be a string, got ${typeof text}`);
  }
  if (text.length > MAX_FORMULA_LENGTH) {
    // The message quotes only the start: the whole text would be one enormous line.
    throw new FormulaError(
      `${text.slice(0, 40)}…`,
      MAX_FORMULA_LENGTH + 1,
      `${what} longer than ${MAX_FORMULA_LENGTH} characters (${text.length})`,
    );
  }
  const p = new Parser(text, what);
  if (p.peek().kind === 'end') p.fail(0, `empty ${what}`);
  return p;
}

/** Parse `lhs ~ rhs` or `~ rhs` (R's grammar); FormulaError names the column that failed. */
export function parseFormula(text: string): Formula {
  const p = parser(text, 'formula');
  let lhs: Expr | undefined;
  if (p.peek().kind !== '~') {
    lhs = p.expression();
    const t = p.peek();
    if (t.kind !== '~') p.unexpected(t, TOP);
  }
  p.tilde();
  const rhs = p.expression();
  const t = p.peek();
  if (t.kind !== 'end') p.unexpected(t, TOP);
  return { text, lhs, rhs };
}

/** Parse one expression (no `~`), e.g. a term or a column expression such as `log(price + 1)`. */
export function parseExpression(text: string): Expr {
  const p = parser(text, 'expression');
  const e = p.expression();
  const t = p.peek();
  if (t.kind !== 'end') p.unexpected(t, TOP);
  return e;
}
