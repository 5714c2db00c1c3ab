/**
 * The parsed form of an R model formula (`log(y) ~ a*b + I(x^2) - 1`): plain
 * data, so a model file and a worker message can carry it. `start`/`end` are
 * 0-based offsets into the formula text (end exclusive), so errors can point
 * at the place that failed.
 */

export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A column reference: `price`, or a backquoted name such as `` `unit price` ``. */
export interface NameNode extends Span {
  readonly type: 'name';
  readonly name: string;
}

/** A numeric literal as written (`2`, `0.5`, `1e-3`); `text` is the source text. */
export interface NumberNode extends Span {
  readonly type: 'number';
  readonly value: number;
  readonly text: string;
}

/** A string literal, `"Good"` or `'Good'` (C(x, ref = "Good")). */
export interface StringNode extends Span {
  readonly type: 'string';
  readonly value: string;
}

/** `TRUE` / `FALSE` (poly(x, 3, raw = TRUE)). */
export interface BooleanNode extends Span {
  readonly type: 'boolean';
  readonly value: boolean;
}

/** `.`: every column not otherwise used. */
export interface DotNode extends Span {
  readonly type: 'dot';
}

/** An argument of a call; `name` is set for `name = value`. */
export interface Argument {
  readonly name?: string | undefined;
  readonly value: Expr;
}

/** `fn(args…)`: log(x), I(x^2), poly(x, 3, raw = TRUE), C(x, ref = "a"), cbind(y1, y2). */
export interface CallNode extends Span {
  readonly type: 'call';
  readonly fn: string;
  readonly args: readonly Argument[];
}

export type BinaryOp = '+' | '-' | '*' | '/' | '^' | ':' | '%in%';

export interface BinaryNode extends Span {
  readonly type: 'binary';
  readonly op: BinaryOp;
  readonly left: Expr;
  readonly right: Expr;
}

export interface UnaryNode extends Span {
  readonly type: 'unary';
  readonly op: '+' | '-';
  readonly operand: Expr;
}

/** `( … )` as written; kept so deparsing gives back R's names (`I((a + b)^2)`). */
export interface ParenNode extends Span {
  readonly type: 'paren';
  readonly inner: Expr;
}

export type Expr =
  | NameNode
  | NumberNode
  | StringNode
  | BooleanNode
  | DotNode
  | CallNode
  | BinaryNode
  | UnaryNode
  | ParenNode;

/** `lhs ~ rhs`; `lhs` is absent for a one-sided formula (`~ x`, accepted by predict). */
export interface Formula {
  readonly text: string;
  readonly lhs: Expr | undefined;
  readonly rhs: Expr;
}
