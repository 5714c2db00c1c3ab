/**
 * Kinds of option values: what a value must be, and the one wording of the
 * problem when it is not ("must be one of a, b, got "x"", "must be an integer
 * between 1 and 1024, got 0", …). The resolver (resolve.ts) adds the option's
 * name. `V` is the value's type, carried for the derived types (types.ts).
 */

export type KindType =
  | 'boolean'
  | 'integer'
  | 'number'
  | 'string'
  | 'choice'
  | 'columns'
  | 'paths'
  | 'number-or-auto';

export interface Kind<V> {
  readonly type: KindType;
  /** 'choice' only: the allowed values. */
  readonly choices?: readonly string[] | undefined;
  /** Numeric kinds: the bounds (for the help and for tests). */
  readonly range?: Range | undefined;
  /** The problem with `value` (never undefined), or undefined when it is a valid V. */
  readonly problem: (value: unknown) => string | undefined;
  /** Phantom: the value's type, never set. */
  readonly value?: V;
}

/** A value as it is quoted in a problem: strings in double quotes, numbers as they print. */
export function show(value: unknown): string {
  if (typeof value === 'number' || typeof value === 'bigint' || value === undefined) {
    return String(value);
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

export function boolean(): Kind<boolean> {
  return {
    type: 'boolean',
    problem: (v) => (typeof v === 'boolean' ? undefined : `must be true or false, got ${show(v)}`),
  };
}

/** An integer in [min, max] (each bound optional); without bounds, a safe integer. */
export function integer(min?: number, max?: number): Kind<number> {
  const range =
    min !== undefined && max !== undefined
      ? ` between ${min} and ${max}`
      : min !== undefined
        ? ` >= ${min}`
        : max !== undefined
          ? ` <= ${max}`
          : '';
  return {
    type: 'integer',
    range: { ...(min === undefined ? {} : { ge: min }), ...(max === undefined ? {} : { le: max }) },
    problem: (v) =>
      typeof v === 'number' &&
      Number.isSafeInteger(v) &&
      (min === undefined || v >= min) &&
      (max === undefined || v <= max)
        ? undefined
        : `must be an integer${range}, got ${show(v)}`,
  };
}

/** Bounds of a finite number: `>` / `>=` below, `<` / `<=` above. */
export interface Range {
  readonly gt?: number;
  readonly ge?: number;
  readonly lt?: number;
  readonly le?: number;
}

function inRange(v: number, r: Range): boolean {
  return (
    Number.isFinite(v) &&
    (r.gt === undefined || v > r.gt) &&
    (r.ge === undefined || v >= r.ge) &&
    (r.lt === undefined || v < r.lt) &&
    (r.le === undefined || v <= r.le)
  );
}

function rangeText(r: Range): string {
  const low = r.gt ?? r.ge;
  const high = r.lt ?? r.le;
  if (low !== undefined && high !== undefined) {
    return ` in ${r.gt === undefined ? '[' : '('}${low}, ${high}${r.lt === undefined ? ']' : ')'}`;
  }
  if (low !== undefined) return ` ${r.gt === undefined ? '>=' : '>'} ${low}`;
  if (high !== undefined) return ` ${r.lt === undefined ? '<=' : '<'} ${high}`;
  return '';
}

/** A finite number in `range`. */
export function number(range: Range = {}): Kind<number> {
  const text = rangeText(range);
  return {
    type: 'number',
    range,
    problem: (v) =>
      typeof v === 'number' && inRange(v, range)
        ? undefined
        : `must be a number${text}, got ${show(v)}`,
  };
}

/** A finite number in `range`, or the string 'auto'. */
export function numberOrAuto(range: Range = {}): Kind<number | 'auto'> {
  const text = rangeText(range);
  return {
    type: 'number-or-auto',
    range,
    problem: (v) =>
      v === 'auto' || (typeof v === 'number' && inRange(v, range))
        ? undefined
        : `must be a number${text} or "auto", got ${show(v)}`,
  };
}

export function choice<const C extends string>(choices: readonly C[]): Kind<C> {
  return {
    type: 'choice',
    choices,
    problem: (v) =>
      typeof v === 'string' && (choices as readonly string[]).includes(v)
        ? undefined
        : `must be one of ${choices.join(', ')}, got ${show(v)}`,
  };
}

/** One column name. */
export function column(): Kind<string> {
  return {
    type: 'string',
    problem: (v) =>
      typeof v === 'string' && v !== '' ? undefined : `must be a column name, got ${show(v)}`,
  };
}

/** A model formula in R's syntax; its grammar is checked where it is parsed (formula/). */
export function formulaText(): Kind<string> {
  return {
    type: 'string',
    problem: (v) =>
      typeof v === 'string' && v.trim() !== ''
        ? undefined
        : `must be a formula such as "y ~ x1 + x2", got ${show(v)}`,
  };
}

/** A row filter (`where`); its grammar is checked where it is parsed (filter/). */
export function filterText(): Kind<string> {
  return {
    type: 'string',
    problem: (v) =>
      typeof v === 'string' && v.trim() !== ''
        ? undefined
        : `must be a condition such as "x1 > 0 and region = 'EU'", got ${show(v)}`,
  };
}

/** A list of distinct column names. */
export function columns(): Kind<readonly string[]> {
  return {
    type: 'columns',
    problem: (v) => {
      if (!Array.isArray(v) || v.some((c) => typeof c !== 'string' || c === '')) {
        return `must be a list of column names, got ${show(v)}`;
      }
      const seen = new Set<string>();
      for (const c of v as string[]) {
        if (seen.has(c)) return `column ${c} is listed twice`;
        seen.add(c);
      }
      return undefined;
    },
  };
}

/** Files, directories, globs, or '-' (stdin): at least one. */
export function paths(): Kind<readonly string[]> {
  return {
    type: 'paths',
    problem: (v) => {
      if (!Array.isArray(v) || v.some((p) => typeof p !== 'string' || p === '')) {
        return `must be a list of files, directories or globs, got ${show(v)}`;
      }
      return v.length === 0 ? 'at least one input is required' : undefined;
    },
  };
}

/** An http(s) URL (an S3-compatible endpoint). */
export function url(): Kind<string> {
  return {
    type: 'string',
    problem: (v) => {
      if (typeof v !== 'string' || !/^https?:\/\/[^/]/i.test(v)) {
        return `must be an http:// or https:// URL, got ${show(v)}`;
      }
      return URL.canParse(v) ? undefined : `must be a valid URL, got ${show(v)}`;
    },
  };
}

/** A cloud region name such as us-east-1. */
export function region(): Kind<string> {
  return {
    type: 'string',
    problem: (v) =>
      typeof v === 'string' && /^[a-z0-9-]+$/i.test(v)
        ? undefined
        : `must be a region name such as us-east-1, got ${show(v)}`,
  };
}
