/**
 * The `--where` language on its own: the parser's tree and errors (with the
 * column of the problem), and the vectorized evaluator's three-valued logic
 * over numbers, null masks and categorical codes.
 */
import { SpecError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  type FilterBatch,
  filterColumnNames,
  parseFilter,
  type RowFilter,
  textColumns,
} from '../../../packages/core/src/filter/index.js';

const NAN = Number.NaN;

/** x: numbers with a null at row 3 and NaN at row 4; g: text codes into LEVELS, null at row 5. */
const LEVELS = ['EU', 'US', 'ASIA'];
const batch: FilterBatch = {
  rows: 8,
  columns: [
    Float64Array.from([1, -2, 0, 9, NAN, 3, 5, 7]),
    Float64Array.from([0, 1, 2, 0, 1, 0, 2, 1]),
    Float64Array.from([10, 20, 30, 40, 50, 60, 70, 80]),
  ],
  nulls: [
    Uint8Array.from([0, 0, 0, 1, 0, 0, 0, 0]),
    Uint8Array.from([0, 0, 0, 0, 0, 1, 0, 0]),
    null,
  ],
  levels: [null, LEVELS, null],
};

function keep(text: string): number[] {
  const { expr } = parseFilter(text);
  const text_ = new Set(textColumns(expr));
  const known = ['x', 'g', 'z'];
  const columns = filterColumnNames(expr).map((name) => ({
    name,
    categorical: name === 'g' || text_.has(name),
  }));
  const filter: RowFilter = { text, expr, columns };
  const fn = compileFilter(
    filter,
    columns.map((c) => known.indexOf(c.name)),
  );
  const out = new Uint8Array(batch.rows);
  const kept = fn(batch, out);
  const rows = [...out].flatMap((k, i) => (k === 1 ? [i] : []));
  expect(rows.length).toBe(kept);
  return rows;
}

function problem(text: string): string {
  try {
    keep(text);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return (e as Error).message;
  }
  throw new Error(`no error for ${text}`);
}

describe('parseFilter', () => {
  it('builds a plain-data tree with SQL precedence', () => {
    const { expr } = parseFilter('a = 1 or b > 2 and not c < 3');
    expect(expr.type).toBe('logical');
    expect(JSON.parse(JSON.stringify(expr))).toEqual(expr);
    if (expr.type !== 'logical') throw new Error('unreachable');
    expect(expr.op).toBe('or');
    expect(expr.right.type === 'logical' && expr.right.op).toBe('and');
    expect(filterColumnNames(expr)).toEqual(['a', 'b', 'c']);
  });

  it('reads every spelling', () => {
    for (const text of [
      'x == 1 && y != 2 || !(z <> 3)',
      'x = 1 & y >= 2 | z <= 3',
      '`odd name` in (\'a\', "b") AND x NOT IN (1, 2, -3)',
      'is_null(x) or is.na(y) or x is null or y is not null',
      'x between -1 and 2 * 3 and y not between 0 and 1',
      'x + y * 2 / 3 - -1 > 0 and TRUE and not false and x != null',
      'g = \'it\'\'s\' or g = "say \\"hi\\""',
      'x > 1e-3 and .5 < y',
    ]) {
      expect(() => parseFilter(text), text).not.toThrow();
    }
  });

  it('names the column of a problem, on one line', () => {
    const at = (text: string): string => {
      try {
        parseFilter(text);
      } catch (e) {
        expect(e).toBeInstanceOf(SpecError);
        expect((e as Error).message).not.toContain('\n');
        return (e as Error).message;
      }
      throw new Error(`no error for ${text}`);
    };
    expect(at('x > ')).toMatch(/^where: 'x > ': column 5: expected a value, found the end$/);
    expect(at('x > 1 y')).toMatch(/column 7: expected an operator or the end, found name y/);
    expect(at('(x > 1')).toMatch(/column 7: expected '\)'/);
    expect(at("g = 'EU")).toMatch(/column 5: unterminated string/);
    expect(at('x # 1')).toMatch(/column 3: unexpected character '#'/);
    expect(at('log(x) > 0')).toMatch(/column 1: unknown function log/);
    expect(at('1 < x < 2')).toMatch(/column 7: comparisons do not chain/);
    expect(at('x is 1')).toMatch(/column 6: expected 'null' after 'is'/);
    expect(at('x in (y)')).toMatch(/column 7: expected a number, string, true, false or null/);
    expect(at('')).toMatch(/empty filter/);
    expect(at('x between 1')).toMatch(/column 12: expected 'and' in between/);
    expect(at('and > 1')).toMatch(/quote a column/);
  });
});

describe('compileFilter', () => {
  it('compares numbers; a null or NaN operand is null, so the row is not kept', () => {
    expect(keep('x > 0')).toEqual([0, 5, 6, 7]);
    expect(keep('not (x > 0)')).toEqual([1, 2]);
    expect(keep('x <= 0 or x > 0')).toEqual([0, 1, 2, 5, 6, 7]);
    expect(keep('x = z / 10 - 0')).toEqual([0]);
    expect(keep('x * 2 + 1 >= 11')).toEqual([6, 7]);
    expect(keep('-x < 0')).toEqual([0, 5, 6, 7]);
  });

  it('follows three-valued logic', () => {
    // null or true is true; null and false is false; not null is null.
    expect(keep('x > 0 or z > 35')).toEqual([0, 3, 4, 5, 6, 7]);
    // rows 3 and 4: null and false is false, so not(…) is true.
    expect(keep('not (x > 0 and z < 35)')).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(keep('x = null')).toEqual([]);
    expect(keep('x != null')).toEqual([]);
    expect(keep('null')).toEqual([]);
  });

  it('tests nulls (NaN is null, as R is.na)', () => {
    expect(keep('is_null(x)')).toEqual([3, 4]);
    expect(keep('is.na(x)')).toEqual([3, 4]);
    expect(keep('x is null')).toEqual([3, 4]);
    expect(keep('x is not null')).toEqual([0, 1, 2, 5, 6, 7]);
    expect(keep('not is_null(g)')).toEqual([0, 1, 2, 3, 4, 6, 7]);
    expect(keep('g is null')).toEqual([5]);
  });

  it('compares text columns by level, never per row', () => {
    expect(keep('g = "EU"')).toEqual([0, 3]);
    expect(keep("'EU' = g")).toEqual([0, 3]);
    expect(keep('g != "EU"')).toEqual([1, 2, 4, 6, 7]);
    expect(keep('g <> "EU" and x > 0')).toEqual([6, 7]);
    expect(keep('g in ("EU", "ASIA")')).toEqual([0, 2, 3, 6]);
    expect(keep('g not in ("EU", "ASIA")')).toEqual([1, 4, 7]);
    expect(keep('g = "nowhere"')).toEqual([]);
    expect(keep('g > "F"')).toEqual([1, 4, 7]);
  });

  it('in-lists of numbers, with null in the list', () => {
    expect(keep('x in (1, 3, 7)')).toEqual([0, 5, 7]);
    expect(keep('x not in (1, 3, 7)')).toEqual([1, 2, 6]);
    // x not in (1, null) is never true.
    expect(keep('x not in (1, null)')).toEqual([]);
    expect(keep('x in (1, null)')).toEqual([0]);
  });

  it('between', () => {
    expect(keep('x between 0 and 5')).toEqual([0, 2, 5, 6]);
    expect(keep('x not between 0 and 5')).toEqual([1, 7]);
    expect(keep('g between "A" and "F"')).toEqual([0, 2, 3, 6]);
  });

  it('refuses type mistakes naming the column of the text', () => {
    expect(problem('g > 1')).toMatch(/column 1: column g is text: compare it with a string/);
    expect(problem('g + 1 = 2')).toMatch(/column g is text/);
    expect(problem('"a" = "a" and z + "b" > 0')).toMatch(/column 19: a string is not a number/);
    expect(problem('g in (1, 2)')).toMatch(/column 7: column g is text: list strings/);
    expect(problem('"a" and x > 0')).toMatch(/a string is not a condition/);
  });

  it('keeps its level table as the unit list grows', () => {
    const levels = ['US'];
    const { expr } = parseFilter('g = "EU"');
    const fn = compileFilter(
      { text: 'g = "EU"', expr, columns: [{ name: 'g', categorical: true }] },
      [0],
    );
    const out = new Uint8Array(3);
    const b1: FilterBatch = {
      rows: 2,
      columns: [Float64Array.from([0, 0])],
      nulls: [null],
      levels: [levels],
    };
    expect(fn(b1, out)).toBe(0);
    levels.push('EU');
    const b2: FilterBatch = {
      rows: 3,
      columns: [Float64Array.from([1, 0, 1])],
      nulls: [null],
      levels: [levels],
    };
    expect(fn(b2, out)).toBe(2);
    expect([...out]).toEqual([1, 0, 1]);
  });
});
