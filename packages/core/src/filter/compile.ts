/**
 * The row filter compiled to a vectorized evaluator: one pass over a batch's
 * Float64Array columns and null masks per node, no object per row. Values
 * are SQL's three-valued logic: a comparison with a null (or NaN) operand is
 * null, `not null` is null, `false and null` is false, `true or null` is
 * true; a row is kept only when the whole predicate is TRUE (SQL WHERE, R's
 * subset). A text column (read as categories: level codes and the unit's
 * level list) compares with a string through a table over its levels, filled
 * once per level as the list grows: no string work per row.
 */
import type { CompareOp, FilterExpr, Literal } from './ast.js';
import { filterError } from './parse.js';

/** A column the filter reads, and whether it is read as categories (text). */
export interface FilterColumn {
  readonly name: string;
  readonly categorical: boolean;
}

/** A filter as a task carries it: plain data, compiled in the worker once per unit. */
export interface RowFilter {
  readonly text: string;
  readonly expr: FilterExpr;
  readonly columns: readonly FilterColumn[];
}

/** The part of io's ColumnBatch the filter reads. */
export interface FilterBatch {
  readonly rows: number;
  readonly columns: readonly Float64Array[];
  readonly nulls: readonly (Uint8Array | null)[];
  readonly levels?: readonly (readonly string[] | null)[] | undefined;
}

/** Writes 1 into `keep[i]` for each kept row i (0 otherwise) and returns how many were kept. */
export type FilterFn = (batch: FilterBatch, keep: Uint8Array) => number;

const FALSE = 0;
const TRUE = 1;
const NULL = 2;

type Node =
  | { readonly kind: 'num'; readonly eval: (b: FilterBatch) => Float64Array }
  | { readonly kind: 'bool'; readonly eval: (b: FilterBatch) => Uint8Array }
  | { readonly kind: 'text'; readonly value: string }
  | { readonly kind: 'null' }
  | { readonly kind: 'cat'; readonly at: number; readonly name: string };

/** Columns compared with strings (`=`, `in`, `between`): they must be read as categories. */
export function textColumns(expr: FilterExpr): string[] {
  const out = new Set<string>();
  const isText = (e: FilterExpr): boolean => e.type === 'string';
  const walk = (e: FilterExpr): void => {
    switch (e.type) {
      case 'compare':
        if (e.left.type === 'column' && isText(e.right)) out.add(e.left.name);
        if (e.right.type === 'column' && isText(e.left)) out.add(e.right.name);
        walk(e.left);
        walk(e.right);
        return;
      case 'in':
        if (e.arg.type === 'column' && e.items.some(isText)) out.add(e.arg.name);
        walk(e.arg);
        return;
      case 'between':
        if (e.arg.type === 'column' && (isText(e.low) || isText(e.high))) out.add(e.arg.name);
        walk(e.arg);
        walk(e.low);
        walk(e.high);
        return;
      case 'negate':
      case 'not':
      case 'isnull':
        walk(e.arg);
        return;
      case 'arith':
      case 'logical':
        walk(e.left);
        walk(e.right);
        return;
      default:
        return;
    }
  };
  walk(expr);
  return [...out];
}

/**
 * Compile `filter` for batches holding its columns at `at` (parallel to
 * `filter.columns`). Type problems (a text column in arithmetic, a number
 * compared with a string) are SpecErrors naming the column of the text.
 */
export function compileFilter(filter: RowFilter, at: readonly number[]): FilterFn {
  const fail = (pos: number, problem: string): never => {
    throw filterError(filter.text, pos, problem);
  };
  const columnAt = new Map(filter.columns.map((c, k) => [c.name, { ...c, at: at[k] as number }]));
  const root = toBool(compile(filter.expr), filter.expr.start);
  return (batch, keep) => {
    const n = batch.rows;
    const v = root(batch);
    let kept = 0;
    for (let i = 0; i < n; i++) {
      const k = v[i] === TRUE ? 1 : 0;
      keep[i] = k;
      kept += k;
    }
    return kept;
  };

  function compile(e: FilterExpr): Node {
    switch (e.type) {
      case 'number':
        return constNum(e.value);
      case 'string':
        return { kind: 'text', value: e.value };
      case 'null':
        return { kind: 'null' };
      case 'column': {
        const c = columnAt.get(e.name);
        if (c === undefined) return fail(e.start, `no column ${e.name}`);
        if (c.categorical) return { kind: 'cat', at: c.at, name: c.name };
        return {
          kind: 'num',
          eval: (b) => {
            const n = b.rows;
            const src = b.columns[c.at] as Float64Array;
            const nulls = b.nulls[c.at] ?? null;
            if (nulls === null) return src;
            const out = new Float64Array(n);
            for (let i = 0; i < n; i++) out[i] = nulls[i] === 1 ? Number.NaN : (src[i] as number);
            return out;
          },
        };
      }
      case 'negate': {
        const a = toNum(compile(e.arg), e.arg.start);
        return map1(a, (x) => -x);
      }
      case 'arith': {
        const a = toNum(compile(e.left), e.left.start);
        const b = toNum(compile(e.right), e.right.start);
        const f = ARITH[e.op];
        return {
          kind: 'num',
          eval: (batch) => {
            const n = batch.rows;
            const x = a(batch);
            const y = b(batch);
            const out = new Float64Array(n);
            for (let i = 0; i < n; i++) out[i] = f(x[i] as number, y[i] as number);
            return out;
          },
        };
      }
      case 'not': {
        const a = toBool(compile(e.arg), e.arg.start);
        return boolMap(a, (t) => (t === NULL ? NULL : 1 - t));
      }
      case 'logical': {
        const a = toBool(compile(e.left), e.left.start);
        const b = toBool(compile(e.right), e.right.start);
        const and = e.op === 'and';
        return {
          kind: 'bool',
          eval: (batch) => {
            const n = batch.rows;
            const x = a(batch);
            const y = b(batch);
            const out = new Uint8Array(n);
            for (let i = 0; i < n; i++) {
              const p = x[i] as number;
              const q = y[i] as number;
              out[i] = and
                ? p === FALSE || q === FALSE
                  ? FALSE
                  : p === NULL || q === NULL
                    ? NULL
                    : TRUE
                : p === TRUE || q === TRUE
                  ? TRUE
                  : p === NULL || q === NULL
                    ? NULL
                    : FALSE;
            }
            return out;
          },
        };
      }
      case 'isnull': {
        const a = compile(e.arg);
        const flip = e.negated ? 1 : 0;
        if (a.kind === 'null') return constBool(1 - flip);
        if (a.kind === 'text') return constBool(flip);
        if (a.kind === 'cat') {
          return {
            kind: 'bool',
            eval: (b) => {
              const n = b.rows;
              const nulls = b.nulls[a.at] ?? null;
              const out = new Uint8Array(n);
              if (nulls === null) out.fill(flip);
              else for (let i = 0; i < n; i++) out[i] = (nulls[i] === 1 ? 1 : 0) ^ flip;
              return out;
            },
          };
        }
        if (a.kind === 'bool') {
          return boolMap(a.eval, (t) => (t === NULL ? 1 : 0) ^ flip);
        }
        const v = a.eval;
        return {
          kind: 'bool',
          eval: (b) => {
            const n = b.rows;
            const x = v(b);
            const out = new Uint8Array(n);
            for (let i = 0; i < n; i++) out[i] = (Number.isNaN(x[i] as number) ? 1 : 0) ^ flip;
            return out;
          },
        };
      }
      case 'compare':
        return comparison(e.op, compile(e.left), compile(e.right), e.start, e.left, e.right);
      case 'between': {
        const arg = compile(e.arg);
        const low = comparison('>=', arg, compile(e.low), e.start, e.arg, e.low);
        const high = comparison('<=', arg, compile(e.high), e.start, e.arg, e.high);
        const both = andNodes(low, high);
        return e.negated
          ? boolMap(both, (t) => (t === NULL ? NULL : 1 - t))
          : { kind: 'bool', eval: both };
      }
      case 'in':
        return inList(e.arg, compile(e.arg), e.items, e.negated);
    }
  }

  function comparison(
    op: CompareOp,
    left: Node,
    right: Node,
    pos: number,
    le: FilterExpr,
    re: FilterExpr,
  ): Node {
    if (left.kind === 'null' || right.kind === 'null') return constBool(NULL);
    if (left.kind === 'text' && right.kind === 'text') {
      return constBool(COMPARE_STRING[op](left.value, right.value) ? TRUE : FALSE);
    }
    if (left.kind === 'text' && right.kind === 'cat') {
      return comparison(FLIP[op], right, left, pos, re, le);
    }
    if (left.kind === 'cat' && right.kind === 'text') {
      const cmp = COMPARE_STRING[op];
      const lit = right.value;
      return catTable(left, (level) => cmp(level, lit));
    }
    if (left.kind === 'cat' || right.kind === 'cat') {
      const c = (left.kind === 'cat' ? left : right) as { name: string };
      return fail(
        left.kind === 'cat' ? le.start : re.start,
        `column ${c.name} is text: compare it with a string`,
      );
    }
    if (left.kind === 'text' || right.kind === 'text') {
      return fail(
        left.kind === 'text' ? le.start : re.start,
        'a string compares only with a text column',
      );
    }
    const a = toNum(left, le.start);
    const b = toNum(right, re.start);
    const f = COMPARE_NUMBER[op];
    return {
      kind: 'bool',
      eval: (batch) => {
        const n = batch.rows;
        const x = a(batch);
        const y = b(batch);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const p = x[i] as number;
          const q = y[i] as number;
          out[i] = Number.isNaN(p) || Number.isNaN(q) ? NULL : f(p, q) ? TRUE : FALSE;
        }
        return out;
      },
    };
  }

  function inList(arg: FilterExpr, node: Node, items: readonly Literal[], negated: boolean): Node {
    const hasNull = items.some((i) => i.type === 'null');
    const flip = (t: number): number => (negated && t !== NULL ? 1 - t : t);
    // x in (…) is true on a match, else null when the list holds null, else false.
    const miss = hasNull ? NULL : FALSE;
    if (node.kind === 'null') return constBool(NULL);
    if (node.kind === 'cat') {
      const bad = items.find((i) => i.type === 'number');
      if (bad !== undefined) fail(bad.start, `column ${node.name} is text: list strings`);
      const set = new Set(items.flatMap((i) => (i.type === 'string' ? [i.value] : [])));
      return catTable(
        node,
        (level) => set.has(level),
        (hit) => flip(hit ? TRUE : miss),
      );
    }
    const bad = items.find((i) => i.type === 'string');
    if (bad !== undefined) fail(bad.start, 'a string compares only with a text column');
    if (node.kind === 'text') fail(arg.start, 'a string compares only with a text column');
    const set = new Set(items.flatMap((i) => (i.type === 'number' ? [i.value] : [])));
    const a = toNum(node, arg.start);
    return {
      kind: 'bool',
      eval: (batch) => {
        const n = batch.rows;
        const x = a(batch);
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          const p = x[i] as number;
          out[i] = Number.isNaN(p) ? NULL : flip(set.has(p) ? TRUE : miss);
        }
        return out;
      },
    };
  }

  /** A test of a text column's level, tabled per level (the unit's list only grows). */
  function catTable(
    c: { at: number; name: string },
    test: (level: string) => boolean,
    result: (hit: boolean) => number = (hit) => (hit ? TRUE : FALSE),
  ): Node {
    let list: readonly string[] | null = null;
    let table = new Uint8Array(0);
    let filled = 0;
    return {
      kind: 'bool',
      eval: (b) => {
        const n = b.rows;
        const levels = b.levels?.[c.at] ?? null;
        if (levels === null) throw new TypeError(`filter: column ${c.name} was not read as text`);
        if (levels !== list) {
          list = levels;
          filled = 0;
        }
        if (table.length < levels.length) {
          const t = new Uint8Array(Math.max(levels.length, 2 * table.length, 16));
          t.set(table.subarray(0, filled));
          table = t;
        }
        for (; filled < levels.length; filled++)
          table[filled] = result(test(levels[filled] as string));
        const codes = b.columns[c.at] as Float64Array;
        const nulls = b.nulls[c.at] ?? null;
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i++) {
          out[i] = nulls !== null && nulls[i] === 1 ? NULL : (table[codes[i] as number] as number);
        }
        return out;
      },
    };
  }

  function toNum(node: Node, pos: number): (b: FilterBatch) => Float64Array {
    switch (node.kind) {
      case 'num':
        return node.eval;
      case 'null':
        return constNum(Number.NaN).eval;
      case 'bool': {
        const f = node.eval;
        return (b) => {
          const n = b.rows;
          const t = f(b);
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) out[i] = t[i] === NULL ? Number.NaN : (t[i] as number);
          return out;
        };
      }
      case 'cat':
        return fail(pos, `column ${node.name} is text: compare it with a string`);
      case 'text':
        return fail(pos, 'a string is not a number');
    }
  }

  function toBool(node: Node, pos: number): (b: FilterBatch) => Uint8Array {
    switch (node.kind) {
      case 'bool':
        return node.eval;
      case 'null':
        return constBool(NULL).eval;
      case 'num': {
        // As R: a number is true when it is not zero, null when it is NA.
        const f = node.eval;
        return (b) => {
          const n = b.rows;
          const x = f(b);
          const out = new Uint8Array(n);
          for (let i = 0; i < n; i++) {
            const p = x[i] as number;
            out[i] = Number.isNaN(p) ? NULL : p !== 0 ? TRUE : FALSE;
          }
          return out;
        };
      }
      case 'cat':
        return fail(pos, `column ${node.name} is text: compare it with a string`);
      case 'text':
        return fail(pos, 'a string is not a condition');
    }
  }
}

function constNum(value: number): Node & { kind: 'num' } {
  return {
    kind: 'num',
    eval: (b) => {
      const out = new Float64Array(b.rows);
      out.fill(value);
      return out;
    },
  };
}

function constBool(value: number): Node & { kind: 'bool' } {
  return {
    kind: 'bool',
    eval: (b) => {
      const out = new Uint8Array(b.rows);
      out.fill(value);
      return out;
    },
  };
}

function map1(a: (b: FilterBatch) => Float64Array, f: (x: number) => number): Node {
  return {
    kind: 'num',
    eval: (b) => {
      const n = b.rows;
      const x = a(b);
      const out = new Float64Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x[i] as number);
      return out;
    },
  };
}

function boolMap(a: (b: FilterBatch) => Uint8Array, f: (t: number) => number): Node {
  return {
    kind: 'bool',
    eval: (b) => {
      const n = b.rows;
      const x = a(b);
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = f(x[i] as number);
      return out;
    },
  };
}

function andNodes(a: Node, b: Node): (batch: FilterBatch) => Uint8Array {
  const x = (a as Node & { kind: 'bool' }).eval;
  const y = (b as Node & { kind: 'bool' }).eval;
  return (batch) => {
    const n = batch.rows;
    const p = x(batch);
    const q = y(batch);
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      const s = p[i] as number;
      const t = q[i] as number;
      out[i] = s === FALSE || t === FALSE ? FALSE : s === NULL || t === NULL ? NULL : TRUE;
    }
    return out;
  };
}

const ARITH: Record<'+' | '-' | '*' | '/', (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
};

const COMPARE_NUMBER: Record<CompareOp, (x: number, y: number) => boolean> = {
  '=': (x, y) => x === y,
  '!=': (x, y) => x !== y,
  '<': (x, y) => x < y,
  '<=': (x, y) => x <= y,
  '>': (x, y) => x > y,
  '>=': (x, y) => x >= y,
};

const COMPARE_STRING: Record<CompareOp, (x: string, y: string) => boolean> =
  COMPARE_NUMBER as never;

const FLIP: Record<CompareOp, CompareOp> = {
  '=': '=',
  '!=': '!=',
  '<': '>',
  '<=': '>=',
  '>': '<',
  '>=': '<=',
};
