/** R model formulas: the AST, the parser and R's deparse (the names of model columns). */
export type {
  Argument,
  BinaryNode,
  BinaryOp,
  BooleanNode,
  CallNode,
  DotNode,
  Expr,
  Formula,
  NameNode,
  NumberNode,
  ParenNode,
  Span,
  StringNode,
  UnaryNode,
} from './ast.js';
export { deparse, formulaText } from './deparse.js';
export { MAX_FORMULA_LENGTH, MAX_NESTING, parseExpression, parseFormula } from './parse.js';
