/**
 * The row filter's syntax tree (`--where`, R's `subset=`): plain data, so it
 * travels to workers inside a task message and is compiled there once per
 * unit (compile.ts). Positions are 0-based offsets into the filter's text.
 */

export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type ArithOp = '+' | '-' | '*' | '/';

/** A literal of an in-list or a comparison. */
export type Literal =
  | { readonly type: 'number'; readonly value: number; readonly start: number }
  | { readonly type: 'string'; readonly value: string; readonly start: number }
  | { readonly type: 'null'; readonly start: number };

export type FilterExpr =
  | Literal
  | { readonly type: 'column'; readonly name: string; readonly start: number }
  | { readonly type: 'negate'; readonly arg: FilterExpr; readonly start: number }
  | { readonly type: 'not'; readonly arg: FilterExpr; readonly start: number }
  | {
      readonly type: 'arith';
      readonly op: ArithOp;
      readonly left: FilterExpr;
      readonly right: FilterExpr;
      readonly start: number;
    }
  | {
      readonly type: 'compare';
      readonly op: CompareOp;
      readonly left: FilterExpr;
      readonly right: FilterExpr;
      readonly start: number;
    }
  | {
      readonly type: 'logical';
      readonly op: 'and' | 'or';
      readonly left: FilterExpr;
      readonly right: FilterExpr;
      readonly start: number;
    }
  | {
      /** `is_null(x)`, `is.na(x)`, `x is null` (negated: `x is not null`). */
      readonly type: 'isnull';
      readonly arg: FilterExpr;
      readonly negated: boolean;
      readonly start: number;
    }
  | {
      readonly type: 'in';
      readonly arg: FilterExpr;
      readonly items: readonly Literal[];
      readonly negated: boolean;
      readonly start: number;
    }
  | {
      readonly type: 'between';
      readonly arg: FilterExpr;
      readonly low: FilterExpr;
      readonly high: FilterExpr;
      readonly negated: boolean;
      readonly start: number;
    };

/** A parsed filter: its text (recorded in the model) and its tree. */
export interface RowFilterSyntax {
  readonly text: string;
  readonly expr: FilterExpr;
}
