/**
 * `--where`: the row filter (R's `subset=`, SQL's WHERE). parse.ts holds
 * the grammar, compile.ts the vectorized, three-valued evaluator.
 */
export type { ArithOp, CompareOp, FilterExpr, Literal, RowFilterSyntax } from './ast.js';
export {
  compileFilter,
  type FilterBatch,
  type FilterColumn,
  type FilterFn,
  type RowFilter,
  textColumns,
} from './compile.js';
export {
  filterColumnNames,
  filterError,
  forEachColumn,
  MAX_FILTER_LENGTH,
  parseFilter,
} from './parse.js';
