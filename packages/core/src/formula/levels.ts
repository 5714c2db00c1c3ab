/**
 * What the levels pass learns of the data, and how it completes a program:
 * each factor's levels (among the rows the fit uses) and each orthogonal
 * polynomial's power sums. A unit's findings are plain data; findings merge
 * by sorted union and re-centred sums, so any grouping of units, in any
 * order, gives the same levels.
 *
 * Level order is R's in the C locale: text by Unicode code point (UTF-8
 * byte order), numbers by value (labelled as R prints them), logicals
 * FALSE < TRUE.
 */
import { IoError, SpecError } from '@linreg/errors';
import { formatDouble as formatNumber } from './deparse.js';
import type { Frame } from './frame.js';
import { canonicalLevel } from './frame.js';
import { addPowerSums, emptyPowerSums, mergePowerSums, type PowerSums, polyCoefs } from './poly.js';
import { type DesignProgram, referenceIndex, type Variable } from './program.js';

/** Per variable: levels found (factors), power sums (orthogonal poly), else null. */
export interface LevelFindings {
  readonly text: readonly (readonly string[] | null)[];
  readonly numbers: readonly (readonly number[] | null)[];
  readonly sums: readonly (PowerSums | null)[];
  /** Per variable: an optional factor passed the cap (its levels are then incomplete). */
  readonly overflow: readonly boolean[];
  /** Rows used (the levels are those of these rows). */
  readonly rows: number;
}

/** Collects one unit's findings, batch by batch. */
export class LevelCollector {
  readonly #program: DesignProgram;
  readonly #maxLevels: number;
  readonly #file: string;
  readonly #text: (Set<string> | null)[];
  readonly #numbers: (Set<number> | null)[];
  readonly #sums: (PowerSums | null)[];
  readonly #optional: ReadonlySet<number>;
  readonly #overflow: boolean[];
  #rows = 0;
  #seen = new Uint8Array(0);

  /**
   * @param optional variables that may exceed `maxLevels` (the default feature
   *   set's text columns): collection stops and `overflow` is set, instead of an error
   */
  constructor(
    program: DesignProgram,
    maxLevels: number,
    file: string,
    optional: readonly number[] = [],
  ) {
    this.#optional = new Set(optional);
    this.#overflow = program.variables.map(() => false);
    this.#program = program;
    this.#maxLevels = maxLevels;
    this.#file = file;
    const vs = program.variables;
    this.#text = vs.map((v) =>
      v.kind === 'factor' && v.source.kind === 'categorical' ? new Set() : null,
    );
    this.#numbers = vs.map((v) =>
      v.kind === 'factor' && v.source.kind === 'numeric' ? new Set() : null,
    );
    this.#sums = vs.map((v) => (v.kind === 'poly' && !v.raw ? emptyPowerSums(v.degree) : null));
  }

  add(frame: Frame): void {
    const n = frame.rows;
    const mask = frame.mask;
    this.#rows += n - frame.dropped;
    this.#program.variables.forEach((v, k) => {
      if (this.#overflow[k] === true) return;
      const text = this.#text[k];
      if (text !== null && text !== undefined && v.kind === 'factor') {
        const levels = frame.localLevels[k] as readonly string[];
        const codes = frame.codes[k] as Int32Array;
        if (this.#seen.length < levels.length) this.#seen = new Uint8Array(levels.length * 2);
        const seen = this.#seen;
        seen.fill(0, 0, levels.length);
        for (let i = 0; i < n; i++) if (mask[i] === 0) seen[codes[i] as number] = 1;
        for (let l = 0; l < levels.length; l++) {
          if (seen[l] === 1) text.add(canonicalLevel(levels[l] as string, v.logical === true));
        }
        this.#cap(v, k, text.size);
      }
      const numbers = this.#numbers[k];
      if (numbers !== null && numbers !== undefined) {
        const x = frame.values[k] as Float64Array;
        for (let i = 0; i < n; i++) {
          if (mask[i] === 0) numbers.add((x[i] as number) === 0 ? 0 : (x[i] as number));
          if (numbers.size > this.#maxLevels) break;
        }
        this.#cap(v, k, numbers.size);
      }
      const sums = this.#sums[k];
      if (sums !== null && sums !== undefined)
        addPowerSums(sums, frame.values[k] as Float64Array, mask, n);
    });
  }

  findings(): LevelFindings {
    return {
      text: this.#text.map((s) => (s === null ? null : [...s].sort(byCodePoint))),
      numbers: this.#numbers.map((s) => (s === null ? null : [...s].sort((a, b) => a - b))),
      sums: this.#sums,
      overflow: this.#overflow,
      rows: this.#rows,
    };
  }

  #cap(v: Variable, k: number, count: number): void {
    if (count <= this.#maxLevels) return;
    if (this.#optional.has(k)) {
      this.#overflow[k] = true;
      (this.#text[k] as Set<string> | null)?.clear();
      return;
    }
    throw new IoError(
      'unsupported',
      { file: this.#file, column: v.label },
      `more than ${this.#maxLevels} levels (--max-levels); a key or free text cannot be a factor`,
    );
  }
}

export function mergeFindings(a: LevelFindings, b: LevelFindings): LevelFindings {
  return {
    text: a.text.map((t, k) => (t === null ? null : sortedUnion(t, b.text[k] ?? [], byCodePoint))),
    numbers: a.numbers.map((t, k) =>
      t === null ? null : sortedUnion(t, b.numbers[k] ?? [], (x, y) => x - y),
    ),
    sums: a.sums.map((s, k) => (s === null ? null : mergePowerSums(s, b.sums[k] as PowerSums))),
    overflow: a.overflow.map((o, k) => o || b.overflow[k] === true),
    rows: a.rows + b.rows,
  };
}

/** The program with every factor's levels and every orthogonal polynomial's constants filled in. */
export function completeProgram(
  program: DesignProgram,
  findings: LevelFindings,
  maxLevels: number,
): DesignProgram {
  const variables = program.variables.map((v, k): Variable => {
    if (v.kind === 'poly') {
      if (v.raw) return v;
      const coefs = polyCoefs(findings.sums[k] as PowerSums, v.degree);
      const used = coefs === undefined ? 0 : (coefs.norm2[1] as number);
      if (coefs === undefined || used <= v.degree) {
        throw new SpecError(
          'formula',
          `${v.label}: needs more than ${v.degree} distinct used values (R: 'degree' must be less than number of unique points)`,
        );
      }
      return { ...v, coefs };
    }
    if (v.kind !== 'factor') return v;
    const numbers = findings.numbers[k];
    const text = findings.text[k] ?? [];
    // Text that is only true/false spellings (CSV has no boolean type) is a logical, as R's read.csv and DuckDB read it.
    const logical =
      v.logical === true || (text.length > 0 && text.every((t) => LOGICAL_TEXT.has(t)));
    const levels =
      numbers === null || numbers === undefined
        ? logical
          ? [...new Set(text.map((t) => canonicalLevel(t, true)))].sort(byCodePoint)
          : [...text]
        : numbers.map((x) => formatNumber(x));
    if (levels.length > maxLevels) {
      throw new SpecError(
        'maxLevels',
        `${v.label} has ${levels.length} levels, more than --max-levels ${maxLevels}`,
      );
    }
    const done: Variable = {
      ...v,
      levels,
      ...(logical ? { logical: true } : {}),
      ...(numbers === null || numbers === undefined ? {} : { values: [...numbers] }),
    };
    if (v.ref !== undefined && referenceIndex(done as Variable & { kind: 'factor' }) < 0) {
      const shown = levels.slice(0, 8).join(', ');
      throw new SpecError(
        'formula',
        `${v.label}: reference level "${v.ref}" does not occur (levels: ${shown}${levels.length > 8 ? ', …' : ''})`,
      );
    }
    return done;
  });
  for (const term of program.terms) {
    term.variables.forEach((vi, i) => {
      const v = variables[vi] as Variable;
      if (v.kind === 'factor' && term.coding[i] === 'contrasts' && (v.levels?.length ?? 0) < 2) {
        throw new SpecError(
          'formula',
          `${v.label}: contrasts need a factor with 2 or more levels, found ${v.levels?.length ?? 0} among the used rows`,
        );
      }
    });
  }
  return { ...program, variables };
}

const LOGICAL_TEXT = new Set(['TRUE', 'FALSE', 'true', 'false', 'True', 'False']);

/** Whether a program needs the levels pass: factors or orthogonal polynomials. */
export function needsLevels(program: DesignProgram): boolean {
  return program.variables.some((v) => v.kind === 'factor' || (v.kind === 'poly' && !v.raw));
}

function sortedUnion<T>(a: readonly T[], b: readonly T[], compare: (x: T, y: T) => number): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length) out.push(a[i++] as T);
    else if (i >= a.length) out.push(b[j++] as T);
    else {
      const c = compare(a[i] as T, b[j] as T);
      if (c < 0) out.push(a[i++] as T);
      else if (c > 0) out.push(b[j++] as T);
      else {
        out.push(a[i++] as T);
        j++;
      }
    }
  }
  return out;
}

/** UTF-16 code units mapped so that string order is code-point (UTF-8 byte) order. */
function unit(c: number): number {
  if (c >= 0xd800 && c <= 0xdfff) return c + 0x2000;
  if (c >= 0xe000) return c - 0x800;
  return c;
}

export function byCodePoint(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) return unit(x) - unit(y);
  }
  return a.length - b.length;
}
