/**
 * The `--where` grammar, hand-written recursive descent (SQL precedence:
 * or < and < not < comparison / is / in / between < + - < * / < unary -):
 *
 *   expr    := and ( ('or' | '||' | '|') and )*
 *   and     := not ( ('and' | '&&' | '&') not )*
 *   not     := ('not' | '!') not | cmp
 *   cmp     := sum ( CMP sum | 'is' ['not'] 'null' | ['not'] 'in' '(' lit (',' lit)* ')'
 *                  | ['not'] 'between' sum 'and' sum )?
 *   sum     := term ( ('+' | '-') term )*
 *   term    := unary ( ('*' | '/') unary )*
 *   unary   := '-' unary | '+' unary | atom
 *   atom    := number | string | true | false | null | name | `name`
 *            | ('is_null' | 'is.na') '(' expr ')' | '(' expr ')'
 *
 * CMP is = == != <> < <= > >=. Strings are in "double" or 'single' quotes
 * (a doubled quote, or a backslash, escapes one); column names are bare
 * (letters, digits, `_`, `.`) or in `backquotes`. Keywords are case-blind.
 * Every failure is one SpecError (option `where`) naming the 1-based column.
 */
import { SpecError } from '@linreg/errors';
import type { CompareOp, FilterExpr, Literal, RowFilterSyntax } from './ast.js';

export const MAX_FILTER_LENGTH = 100_000;
const MAX_NESTING = 200;

type Token =
  | { readonly kind: 'name' | 'quoted' | 'string'; readonly value: string; readonly start: number }
  | { readonly kind: 'number'; readonly value: number; readonly start: number }
  | { readonly kind: 'op'; readonly value: string; readonly start: number }
  | { readonly kind: 'end'; readonly start: number };

const WHITESPACE = /[ \t\n\r\f]*/y;
const NUMBER = /(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/y;
const NAME = /[\p{L}_.][\p{L}0-9._]*/uy;
/** Longest first. */
const OPERATORS = [
  '==',
  '!=',
  '<>',
  '<=',
  '>=',
  '&&',
  '||',
  '=',
  '<',
  '>',
  '!',
  '&',
  '|',
  '+',
  '-',
  '*',
  '/',
  '(',
  ')',
  ',',
];
const COMPARE: ReadonlyMap<string, CompareOp> = new Map([
  ['=', '='],
  ['==', '='],
  ['!=', '!='],
  ['<>', '!='],
  ['<', '<'],
  ['<=', '<='],
  ['>', '>'],
  ['>=', '>='],
]);
const KEYWORDS = new Set(['and', 'or', 'not', 'is', 'null', 'in', 'between', 'true', 'false']);
const NULL_FUNCTIONS = new Set(['is_null', 'is.na']);

/** Parse a `--where` text; throws SpecError('where', …) naming the column of the first problem. */
export function parseFilter(text: string): RowFilterSyntax {
  return { text, expr: new Parser(text).parse() };
}

/** Every column reference of the filter, in order of appearance (`visit` each). */
export function forEachColumn(
  expr: FilterExpr,
  visit: (column: FilterExpr & { readonly type: 'column' }) => void,
): void {
  switch (expr.type) {
    case 'column':
      visit(expr);
      return;
    case 'negate':
    case 'not':
    case 'isnull':
    case 'in':
      forEachColumn(expr.arg, visit);
      return;
    case 'arith':
    case 'compare':
    case 'logical':
      forEachColumn(expr.left, visit);
      forEachColumn(expr.right, visit);
      return;
    case 'between':
      forEachColumn(expr.arg, visit);
      forEachColumn(expr.low, visit);
      forEachColumn(expr.high, visit);
      return;
    default:
      return;
  }
}

/** Every column the filter reads, in order of first use. */
export function filterColumnNames(expr: FilterExpr): string[] {
  const out: string[] = [];
  forEachColumn(expr, (c) => {
    if (!out.includes(c.name)) out.push(c.name);
  });
  return out;
}

/** The one-line error of a filter: where in the text, and what is wrong. */
export function filterError(text: string, at: number, problem: string): SpecError {
  const shown = text.length > 60 ? `${text.slice(0, 57)}…` : text;
  return new SpecError('where', `'${shown}': column ${at + 1}: ${problem}`);
}

function describe(t: Token): string {
  switch (t.kind) {
    case 'end':
      return 'the end';
    case 'number':
      return `number ${t.value}`;
    case 'string':
      return `string ${JSON.stringify(t.value)}`;
    case 'quoted':
      return `\`${t.value}\``;
    case 'name':
      return KEYWORDS.has(t.value.toLowerCase()) ? `'${t.value}'` : `name ${t.value}`;
    default:
      return `'${t.value}'`;
  }
}

class Parser {
  readonly #text: string;
  #pos = 0;
  #token: Token;
  #depth = 0;

  constructor(text: string) {
    this.#text = text;
    if (text.length > MAX_FILTER_LENGTH) {
      throw filterError(text, 0, `longer than ${MAX_FILTER_LENGTH} characters`);
    }
    this.#token = this.#lex();
  }

  parse(): FilterExpr {
    if (this.#token.kind === 'end') this.#fail(this.#token.start, 'empty filter');
    const e = this.#or();
    if ((this.#token as Token).kind !== 'end') this.#unexpected('an operator or the end');
    return e;
  }

  #fail(at: number, problem: string): never {
    throw filterError(this.#text, at, problem);
  }

  #unexpected(expected: string): never {
    this.#fail(this.#token.start, `expected ${expected}, found ${describe(this.#token)}`);
  }

  #lex(): Token {
    const s = this.#text;
    WHITESPACE.lastIndex = this.#pos;
    WHITESPACE.exec(s);
    const start = WHITESPACE.lastIndex;
    this.#pos = start;
    if (start >= s.length) return { kind: 'end', start };
    const c = s[start] as string;
    if (c === '"' || c === "'" || c === '`') {
      let value = '';
      let i = start + 1;
      for (;;) {
        if (i >= s.length) {
          this.#fail(start, c === '`' ? 'unterminated `name`' : 'unterminated string');
        }
        const d = s[i] as string;
        if (d === '\\' && i + 1 < s.length) {
          value += s[i + 1];
          i += 2;
        } else if (d === c) {
          if (s[i + 1] === c) {
            value += c;
            i += 2;
          } else {
            i += 1;
            break;
          }
        } else {
          value += d;
          i += 1;
        }
      }
      this.#pos = i;
      if (c === '`' && value === '') this.#fail(start, 'empty `name`');
      return { kind: c === '`' ? 'quoted' : 'string', value, start };
    }
    NUMBER.lastIndex = start;
    const num = NUMBER.exec(s);
    if (num !== null) {
      this.#pos = NUMBER.lastIndex;
      return { kind: 'number', value: Number(num[0]), start };
    }
    NAME.lastIndex = start;
    const name = NAME.exec(s);
    if (name !== null) {
      this.#pos = NAME.lastIndex;
      return { kind: 'name', value: name[0], start };
    }
    for (const op of OPERATORS) {
      if (s.startsWith(op, start)) {
        this.#pos = start + op.length;
        return { kind: 'op', value: op, start };
      }
    }
    return this.#fail(start, `unexpected character '${c}'`);
  }

  #next(): Token {
    const t = this.#token;
    this.#token = this.#lex();
    return t;
  }

  #isOp(...ops: string[]): boolean {
    return this.#token.kind === 'op' && ops.includes(this.#token.value);
  }

  #isKeyword(word: string): boolean {
    return this.#token.kind === 'name' && this.#token.value.toLowerCase() === word;
  }

  #expectOp(op: string): void {
    if (!this.#isOp(op)) this.#unexpected(`'${op}'`);
    this.#next();
  }

  #nest<T>(at: number, f: () => T): T {
    this.#depth += 1;
    if (this.#depth > MAX_NESTING) this.#fail(at, `nested more than ${MAX_NESTING} deep`);
    try {
      return f();
    } finally {
      this.#depth -= 1;
    }
  }

  #or(): FilterExpr {
    let left = this.#and();
    while (this.#isKeyword('or') || this.#isOp('||', '|')) {
      const start = this.#next().start;
      left = { type: 'logical', op: 'or', left, right: this.#and(), start };
    }
    return left;
  }

  #and(): FilterExpr {
    let left = this.#not();
    while (this.#isKeyword('and') || this.#isOp('&&', '&')) {
      const start = this.#next().start;
      left = { type: 'logical', op: 'and', left, right: this.#not(), start };
    }
    return left;
  }

  #not(): FilterExpr {
    if (this.#isKeyword('not') || this.#isOp('!')) {
      const start = this.#next().start;
      return this.#nest(start, () => ({ type: 'not', arg: this.#not(), start }));
    }
    return this.#compare();
  }

  #compare(): FilterExpr {
    const left = this.#sum();
    const t = this.#token;
    if (t.kind === 'op' && COMPARE.has(t.value)) {
      this.#next();
      const op = COMPARE.get(t.value) as CompareOp;
      const right = this.#sum();
      if (this.#token.kind === 'op' && COMPARE.has(this.#token.value)) {
        this.#fail(this.#token.start, 'comparisons do not chain: use and');
      }
      return { type: 'compare', op, left, right, start: t.start };
    }
    if (this.#isKeyword('is')) {
      this.#next();
      let negated = false;
      if (this.#isKeyword('not')) {
        this.#next();
        negated = true;
      }
      if (!this.#isKeyword('null')) this.#unexpected("'null' after 'is'");
      this.#next();
      return { type: 'isnull', arg: left, negated, start: t.start };
    }
    let negated = false;
    if (this.#isKeyword('not')) {
      this.#next();
      negated = true;
      if (!this.#isKeyword('in') && !this.#isKeyword('between')) {
        this.#unexpected("'in' or 'between' after 'not'");
      }
    }
    if (this.#isKeyword('in')) {
      this.#next();
      this.#expectOp('(');
      const items: Literal[] = [this.#literal()];
      while (this.#isOp(',')) {
        this.#next();
        items.push(this.#literal());
      }
      this.#expectOp(')');
      return { type: 'in', arg: left, items, negated, start: t.start };
    }
    if (this.#isKeyword('between')) {
      this.#next();
      const low = this.#sum();
      if (!this.#isKeyword('and')) this.#unexpected("'and' in between … and …");
      this.#next();
      const high = this.#sum();
      return { type: 'between', arg: left, low, high, negated, start: t.start };
    }
    return left;
  }

  #literal(): Literal {
    const t = this.#token;
    let sign = 1;
    if (this.#isOp('-', '+')) {
      if (t.kind === 'op' && t.value === '-') sign = -1;
      this.#next();
      if (this.#token.kind !== 'number') this.#unexpected('a number');
    }
    const u = this.#next();
    if (u.kind === 'number') return { type: 'number', value: sign * u.value, start: t.start };
    if (u.kind === 'string') return { type: 'string', value: u.value, start: u.start };
    if (u.kind === 'name') {
      const word = u.value.toLowerCase();
      if (word === 'null') return { type: 'null', start: u.start };
      if (word === 'true' || word === 'false') {
        return { type: 'number', value: word === 'true' ? 1 : 0, start: u.start };
      }
    }
    return this.#fail(
      u.start,
      `expected a number, string, true, false or null, found ${describe(u)}`,
    );
  }

  #sum(): FilterExpr {
    let left = this.#term();
    while (this.#isOp('+', '-')) {
      const t = this.#next();
      const op = t.kind === 'op' && t.value === '-' ? '-' : '+';
      left = { type: 'arith', op, left, right: this.#term(), start: t.start };
    }
    return left;
  }

  #term(): FilterExpr {
    let left = this.#unary();
    while (this.#isOp('*', '/')) {
      const t = this.#next();
      const op = t.kind === 'op' && t.value === '/' ? '/' : '*';
      left = { type: 'arith', op, left, right: this.#unary(), start: t.start };
    }
    return left;
  }

  #unary(): FilterExpr {
    if (this.#isOp('-', '+')) {
      const t = this.#next();
      const minus = t.kind === 'op' && t.value === '-';
      return this.#nest(t.start, () => {
        const arg = this.#unary();
        return minus ? { type: 'negate', arg, start: t.start } : arg;
      });
    }
    return this.#atom();
  }

  #atom(): FilterExpr {
    const t = this.#token;
    switch (t.kind) {
      case 'number':
        this.#next();
        return { type: 'number', value: t.value, start: t.start };
      case 'string':
        this.#next();
        return { type: 'string', value: t.value, start: t.start };
      case 'quoted':
        this.#next();
        return { type: 'column', name: t.value, start: t.start };
      case 'name': {
        const word = t.value.toLowerCase();
        this.#next();
        if (word === 'true' || word === 'false') {
          return { type: 'number', value: word === 'true' ? 1 : 0, start: t.start };
        }
        if (word === 'null') return { type: 'null', start: t.start };
        if (this.#isOp('(')) {
          if (!NULL_FUNCTIONS.has(word)) {
            this.#fail(t.start, `unknown function ${t.value} (functions: is_null, is.na)`);
          }
          this.#next();
          const arg = this.#nest(t.start, () => this.#or());
          this.#expectOp(')');
          return { type: 'isnull', arg, negated: false, start: t.start };
        }
        if (KEYWORDS.has(word)) {
          this.#fail(
            t.start,
            `expected a value, found '${t.value}' (quote a column of that name: \`${t.value}\`)`,
          );
        }
        return { type: 'column', name: t.value, start: t.start };
      }
      case 'op':
        if (t.value === '(') {
          this.#next();
          const e = this.#nest(t.start, () => this.#or());
          this.#expectOp(')');
          return e;
        }
        return this.#unexpected('a value');
      default:
        return this.#unexpected('a value');
    }
  }
}
