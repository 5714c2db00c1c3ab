/**
 * The text R's `deparse()` gives for an expression, because R names model
 * columns by it: `I(carat^2)`, `log(price + 1)`, `poly(depth, 3)`. Checked
 * against R 4.2.2 (tests/core/formula/deparse.test.ts).
 */
import type { BinaryNode, Expr, Formula } from './ast.js';
import { CONSTANTS, RESERVED } from './reserved.js';

/** make.names' syntactic names: a letter, or a dot not followed by a digit, then name characters. */
const SYNTACTIC = /^(?:\p{L}|\.(?![0-9]))[\p{L}0-9._]*$/u;

/** R deparses `/`, `^` and `:` tight and the other binary operators with a space each side. */
const TIGHT = new Set(['/', '^', ':']);

/** R's deparse of `e` on one line (R would wrap past 60 characters; a name never does). */
export function deparse(e: Expr): string {
  switch (e.type) {
    case 'name':
      return nameText(e.name);
    case 'number':
      return formatDouble(e.value);
    case 'string':
      return quote(e.value, '"');
    case 'boolean':
      return e.value ? 'TRUE' : 'FALSE';
    case 'dot':
      return '.';
    case 'call': {
      const args = e.args.map((a) =>
        a.name === undefined ? deparse(a.value) : `${nameText(a.name)} = ${deparse(a.value)}`,
      );
      return `${nameText(e.fn)}(${args.join(', ')})`;
    }
    case 'unary':
      return `${e.op}${deparse(e.operand)}`;
    case 'paren':
      return `(${deparse(e.inner)})`;
    case 'binary':
      return binaryText(e);
  }
}

/** `lhs ~ rhs` as R prints a formula; one-sided `~rhs` without a space, as R does. */
export function formulaText(f: Formula): string {
  const rhs = deparse(f.rhs);
  return f.lhs === undefined ? `~${rhs}` : `${deparse(f.lhs)} ~ ${rhs}`;
}

/**
 * Walks the left spine by a loop: `a + b + … + z` is a left-leaning chain as
 * deep as it has terms, and only right operands (bounded by the parser's
 * nesting limit) recurse.
 */
function binaryText(e: BinaryNode): string {
  const spine: BinaryNode[] = [];
  let left: Expr = e;
  while (left.type === 'binary') {
    spine.push(left);
    left = left.left;
  }
  let text = deparse(left);
  for (let i = spine.length - 1; i >= 0; i--) {
    const node = spine[i] as BinaryNode;
    const op = TIGHT.has(node.op) ? node.op : ` ${node.op} `;
    text += op + deparse(node.right);
  }
  return text;
}

function nameText(name: string): string {
  return SYNTACTIC.test(name) && !RESERVED.has(name) && !CONSTANTS.has(name)
    ? name
    : quote(name, '`');
}

/** R's escapes: the quote and backslash, C's named controls, other controls in octal. */
const NAMED_CONTROLS: ReadonlyMap<string, string> = new Map([
  ['\x07', '\\a'],
  ['\b', '\\b'],
  ['\f', '\\f'],
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
  ['\v', '\\v'],
]);

function quote(s: string, q: '"' | '`'): string {
  let out = q;
  for (const c of s) {
    const code = c.codePointAt(0) ?? 0;
    if (c === q || c === '\\') out += `\\${c}`;
    else if (NAMED_CONTROLS.has(c)) out += NAMED_CONTROLS.get(c);
    else if (code < 0x20 || code === 0x7f) out += `\\${code.toString(8).padStart(3, '0')}`;
    else if (code >= 0x80 && code < 0xa0) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out + q;
}

// ---------------------------------------------------------------- numbers

/** deparse() prints doubles with R_print.digits = DBL_DIG significant digits. */
const DIGITS = 15;

/** A positive finite double exactly, as `m × 10^-scale` (every double is a finite decimal). */
interface Exact {
  readonly m: bigint;
  readonly scale: number;
}

function exact(x: number): Exact {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & ((1n << 52n) - 1n);
  const mantissa = biased === 0 ? fraction : fraction | (1n << 52n);
  const e2 = biased === 0 ? -1074 : biased - 1075;
  // m × 2^e2 = m × 5^-e2 / 10^-e2 when e2 < 0.
  return e2 >= 0
    ? { m: mantissa << BigInt(e2), scale: 0 }
    : { m: mantissa * 5n ** BigInt(-e2), scale: -e2 };
}

/** round(x × 10^f), ties to even as C's printf rounds the exact binary value. */
function scaled(x: Exact, f: number): bigint {
  const shift = f - x.scale;
  if (shift >= 0) return x.m * 10n ** BigInt(shift);
  const d = 10n ** BigInt(-shift);
  const q = x.m / d;
  const twice = 2n * (x.m - q * d);
  return twice > d || (twice === d && (q & 1n) === 1n) ? q + 1n : q;
}

/** x rounded to `n` significant digits: the digits and the decimal exponent of the first. */
function significant(x: Exact, n: number): { digits: string; k: number } {
  let k = x.m.toString().length - 1 - x.scale;
  let digits = scaled(x, n - 1 - k).toString();
  if (digits.length > n) {
    digits = digits.slice(0, n); // rounded up to a power of ten: the dropped digit is 0
    k += 1;
  }
  return { digits, k };
}

/**
 * A double as R's deparse prints it (exported for labels that print numbers the
 * same way). R's formatReal for one double at 15 digits: the fewest significant digits
 * (at most 15) that give the same 15-digit value, then fixed notation unless
 * scientific is narrower (scipen = 0: fixed wins ties). Exponents carry a sign
 * and at least two digits (`1e-05`, `1e+15`).
 */
export function formatDouble(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : '-Inf';
  if (value === 0) return '0';
  const sign = value < 0 ? '-' : '';
  const x = exact(Math.abs(value));
  const rounded = significant(x, DIGITS);
  const nsig = rounded.digits.replace(/0+$/, '').length;
  const kp = rounded.k;
  // R's formatReal also has a "rounding widens" case; at 15 digits its fuzz is the very
  // half unit at which rounding carries, so it never applies to deparse.
  const left = kp + 1;
  const rgt = Math.max(0, nsig - left);
  const fixedWidth = (left <= 0 ? 1 : left) + rgt + (rgt > 0 ? 1 : 0);
  const expDigits = left > 100 || left <= -99 ? 3 : 2;
  // d.ddd + 'e' + sign + exponent digits
  const sciWidth = nsig + (nsig > 1 ? 1 : 0) + 2 + expDigits;
  if (fixedWidth <= sciWidth) return sign + fixed(x, rgt);
  const sci = significant(x, nsig);
  const mantissa = nsig > 1 ? `${sci.digits[0]}.${sci.digits.slice(1)}` : sci.digits;
  const exponent = `${sci.k < 0 ? '-' : '+'}${String(Math.abs(sci.k)).padStart(2, '0')}`;
  return `${sign}${mantissa}e${exponent}`;
}

/** printf("%.*f", decimals, x). */
function fixed(x: Exact, decimals: number): string {
  const digits = scaled(x, decimals)
    .toString()
    .padStart(decimals + 1, '0');
  if (decimals === 0) return digits;
  const point = digits.length - decimals;
  return `${digits.slice(0, point)}.${digits.slice(point)}`;
}
