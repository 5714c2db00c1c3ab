/**
 * `where` on the main thread: the filter's text parsed (its grammar was
 * checked when the options were resolved), its columns checked against
 * every shard — each must exist, and is read as numbers, or as categories
 * when it is text or compared with a string — and type-checked by compiling
 * it once. The result is plain data that travels in DesignRead / LevelsArgs.
 */
import type { Plan } from '@linreg/io';
import type { FilterExpr } from '../filter/ast.js';
import {
  compileFilter,
  filterColumnNames,
  filterError,
  forEachColumn,
  parseFilter,
  type RowFilter,
  textColumns,
} from '../filter/index.js';

export function rowFilterOf(
  plan: Plan,
  text: string | undefined,
  temporal: boolean,
): RowFilter | undefined {
  if (text === undefined) return undefined;
  const { expr } = parseFilter(text);
  const names = filterColumnNames(expr);
  const text_ = new Set(textColumns(expr));
  const categorical = names.map((n) => text_.has(n));
  const shards = plan.shards.length > 0 ? plan.shards : [{ file: 'input', columns: plan.columns }];
  for (const shard of shards) {
    const kinds = (shard.columns ?? plan.columns).map((col) => ({
      name: col.name,
      numeric: col.numeric || (temporal && col.temporal === true),
      categorical: col.categorical === true,
    }));
    names.forEach((name, c) => {
      const kind = kinds.find((k) => k.name === name);
      const at = positionOf(expr, name);
      if (kind === undefined) {
        const there = kinds.map((k) => k.name).join(', ');
        throw filterError(text, at, `no column ${name} in ${shard.file} (columns: ${there})`);
      }
      if (!kind.numeric && !kind.categorical) {
        throw filterError(text, at, `column ${name} is neither numeric nor text`);
      }
      if (!kind.numeric) categorical[c] = true;
      if (categorical[c] === true && !kind.categorical) {
        throw filterError(text, at, `column ${name} is numeric: compare it with a number`);
      }
    });
  }
  const filter: RowFilter = {
    text,
    expr,
    columns: names.map((name, c) => ({ name, categorical: categorical[c] === true })),
  };
  // Type errors (a text column in arithmetic, …) are found here, before any pass.
  compileFilter(
    filter,
    names.map((_, c) => c),
  );
  return filter;
}

/** Where `name` first occurs in the filter's text (for errors). */
function positionOf(expr: FilterExpr, name: string): number {
  let found = -1;
  forEachColumn(expr, (c) => {
    if (found < 0 && c.name === name) found = c.start;
  });
  return Math.max(0, found);
}
