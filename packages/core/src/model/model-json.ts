/**
 * The model's JSON form: `modelToJson` writes it, `parseModel` reads and
 * validates it (docs/model-format.md documents every field).
 *
 * Non-finite numbers (NaN, ±Infinity) are written as `null`, so the file is
 * strict JSON that any reader accepts; `parseModel` reads `null` back as NaN in
 * every field documented as nullable. Hence `parseModel(modelToJson(m))`
 * deep-equals `m` whenever `m` holds no infinity (an infinity comes back NaN;
 * −0, which JSON cannot tell from 0, comes back 0).
 * Unknown fields are ignored, so a later version may add optional ones.
 */

import { ModelFormatError } from '@linreg/errors';
import {
  designNames,
  type LinregModel,
  MODEL_FORMAT,
  MODEL_VERSION,
  type ModelDiagnostics,
  type ModelSgd,
  type ModelSgdEpoch,
  type ModelSolver,
} from './model.js';

/** Pretty-printed JSON (two-space indent, trailing newline); NaN and ±Infinity become null. */
export function modelToJson(model: LinregModel): string {
  // JSON.stringify already writes non-finite numbers as null; the replacer makes it explicit.
  return `${JSON.stringify(model, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value), 2)}\n`;
}

type Json = unknown;

/** Reads fields of one JSON value, naming the file and the field path in every error. */
class FieldReader {
  constructor(private readonly source: string) {}

  fail(path: string, problem: string): never {
    throw new ModelFormatError(this.source, path, problem);
  }

  object(value: Json, path: string): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.fail(path, `expected an object, got ${describe(value)}`);
    }
    return value as Record<string, Json>;
  }

  array(value: Json, path: string): readonly Json[] {
    if (!Array.isArray(value)) this.fail(path, `expected an array, got ${describe(value)}`);
    return value;
  }

  string(value: Json, path: string): string {
    if (typeof value !== 'string') this.fail(path, `expected a string, got ${describe(value)}`);
    return value;
  }

  boolean(value: Json, path: string): boolean {
    if (typeof value !== 'boolean')
      this.fail(path, `expected true or false, got ${describe(value)}`);
    return value;
  }

  /**
   * A finite number, or null (read as NaN). A JSON number too large for a
   * double (`1e999`, which JSON.parse reads as Infinity) is refused: the file
   * writes NaN and ±Infinity as null, so such a value is not one linreg wrote.
   */
  nullableNumber(value: Json, path: string): number {
    if (value === null) return Number.NaN;
    if (typeof value !== 'number')
      this.fail(path, `expected a number or null, got ${describe(value)}`);
    if (!Number.isFinite(value)) {
      this.fail(path, `expected a finite number or null, got ${describeNumber(value)}`);
    }
    return value;
  }

  finiteNumber(value: Json, path: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.fail(path, `expected a finite number, got ${describeNumber(value)}`);
    }
    return value;
  }

  count(value: Json, path: string): number {
    const n = this.finiteNumber(value, path);
    if (!Number.isInteger(n) || n < 0) this.fail(path, `expected a non-negative integer, got ${n}`);
    return n;
  }

  oneOf<T extends string>(value: Json, path: string, allowed: readonly T[]): T {
    const s = this.string(value, path);
    if (!(allowed as readonly string[]).includes(s)) {
      this.fail(path, `expected one of ${allowed.map((a) => `'${a}'`).join(', ')}, got '${s}'`);
    }
    return s as T;
  }

  strings(value: Json, path: string): string[] {
    return this.array(value, path).map((v, i) => this.string(v, `${path}[${i}]`));
  }

  nullableNumbers(value: Json, path: string, length?: number): number[] {
    const values = this.array(value, path);
    if (length !== undefined && values.length !== length) {
      this.fail(path, `expected ${length} values, got ${values.length}`);
    }
    return values.map((v, i) => this.nullableNumber(v, `${path}[${i}]`));
  }
}

function describe(value: Json): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing (the field is missing)';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `'${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value)}`;
}

/** Like describe, but says why a number is not finite: JSON has no NaN or Infinity literal. */
function describeNumber(value: Json): string {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return `${String(value)} (a number beyond the double range; NaN and ±Infinity are written as null)`;
  }
  return describe(value);
}

const DIAGNOSTICS = [
  'min',
  'q1',
  'median',
  'q3',
  'max',
  'skewness',
  'kurtosis',
  'jarqueBera',
  'jarqueBeraP',
  'omnibus',
  'omnibusP',
  'durbinWatson',
  'breuschPagan',
  'breuschPaganDf',
  'breuschPaganP',
] as const;

function parseDiagnostics(r: FieldReader, value: Json): ModelDiagnostics {
  const o = r.object(value, 'diagnostics');
  const numbers = Object.fromEntries(
    DIAGNOSTICS.map((key) => [key, r.nullableNumber(o[key], `diagnostics.${key}`)]),
  ) as Record<(typeof DIAGNOSTICS)[number], number>;
  return { n: r.count(o.n, 'diagnostics.n'), ...numbers };
}

const SOLVERS: readonly ModelSolver[] = ['qr', 'normal', 'sgd'];
const STATISTICS = [
  'sigma',
  'residualDf',
  'modelDf',
  'rSquared',
  'adjRSquared',
  'fStatistic',
  'fDf1',
  'fDf2',
  'fPValue',
  'logLik',
  'logLikDf',
  'aic',
  'bic',
  'conditionNumber',
  'rss',
  'tss',
  'tCritical',
] as const;

/**
 * Parse and validate a model file's text. `source` names the file in errors
 * (default `<string>`). Throws ModelFormatError naming the field on any
 * deviation from docs/model-format.md, and on a version this reader does not know.
 */
export function parseModel(text: string, source = '<string>'): LinregModel {
  const r = new FieldReader(source);
  let root: Json;
  try {
    root = JSON.parse(text);
  } catch (error: unknown) {
    r.fail('', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  const o = r.object(root, '(root)');
  if (o.format !== MODEL_FORMAT) {
    r.fail('format', `expected '${MODEL_FORMAT}', got ${describe(o.format)}: not a linreg model`);
  }
  const version = r.finiteNumber(o.version, 'version');
  if (version !== MODEL_VERSION) {
    r.fail(
      'version',
      version > MODEL_VERSION
        ? `version ${version} is newer than this reader (${MODEL_VERSION}); upgrade linreg`
        : `unsupported version ${version} (this reader knows ${MODEL_VERSION})`,
    );
  }

  const features = r.strings(o.features, 'features');
  const intercept = r.boolean(o.intercept, 'intercept');
  const design = designNames(intercept, features);
  const m = design.length;

  const ridgeObject = r.object(o.ridge, 'ridge');
  const level = r.finiteNumber(o.level, 'level');
  if (!(level > 0 && level < 1)) r.fail('level', `expected a number in (0, 1), got ${level}`);

  const coefficientValues = r.array(o.coefficients, 'coefficients');
  if (coefficientValues.length !== m) {
    r.fail(
      'coefficients',
      `expected ${m} entries (intercept + features), got ${coefficientValues.length}`,
    );
  }
  const coefficients = coefficientValues.map((value, j) => {
    const path = `coefficients[${j}]`;
    const c = r.object(value, path);
    const name = r.string(c.name, `${path}.name`);
    if (name !== design[j]) r.fail(`${path}.name`, `expected '${design[j]}', got '${name}'`);
    return {
      name,
      estimate: r.nullableNumber(c.estimate, `${path}.estimate`),
      stdError: r.nullableNumber(c.stdError, `${path}.stdError`),
      t: r.nullableNumber(c.t, `${path}.t`),
      p: r.nullableNumber(c.p, `${path}.p`),
      ciLow: r.nullableNumber(c.ciLow, `${path}.ciLow`),
      ciHigh: r.nullableNumber(c.ciHigh, `${path}.ciHigh`),
      vif: r.nullableNumber(c.vif, `${path}.vif`),
      aliased: r.boolean(c.aliased, `${path}.aliased`),
    };
  });

  const aliased = r.array(o.aliased, 'aliased').map((value, i) => {
    const path = `aliased[${i}]`;
    const a = r.object(value, path);
    const name = r.string(a.name, `${path}.name`);
    if (!design.includes(name)) r.fail(`${path}.name`, `'${name}' is not a design column`);
    const terms = r.array(a.terms, `${path}.terms`).map((t, k) => {
      const termPath = `${path}.terms[${k}]`;
      const term = r.object(t, termPath);
      const termName = r.string(term.name, `${termPath}.name`);
      if (!design.includes(termName))
        r.fail(`${termPath}.name`, `'${termName}' is not a design column`);
      return { name: termName, coef: r.finiteNumber(term.coef, `${termPath}.coef`) };
    });
    return { name, terms, relation: r.string(a.relation, `${path}.relation`) };
  });

  const covRows = r.array(o.covUnscaled, 'covUnscaled');
  if (covRows.length !== m) r.fail('covUnscaled', `expected ${m} rows, got ${covRows.length}`);
  const covUnscaled = covRows.map((row, i) => r.nullableNumbers(row, `covUnscaled[${i}]`, m));

  // Optional (added without a version bump): absent or 'classical' for classical standard errors.
  const se =
    o.se === undefined || o.se === 'classical'
      ? undefined
      : r.oneOf(o.se, 'se', ['hc0', 'hc1', 'hc2', 'hc3'] as const);
  let covRobust: number[][] | undefined;
  if (se !== undefined) {
    const robustRows = r.array(o.covRobust, 'covRobust');
    if (robustRows.length !== m)
      r.fail('covRobust', `expected ${m} rows, got ${robustRows.length}`);
    covRobust = robustRows.map((row, i) => r.nullableNumbers(row, `covRobust[${i}]`, m));
  }

  const s = r.object(o.statistics, 'statistics');
  const statistics = Object.fromEntries(
    STATISTICS.map((key) => [key, r.nullableNumber(s[key], `statistics.${key}`)]),
  ) as Record<(typeof STATISTICS)[number], number>;

  const rowsObject = r.object(o.rows, 'rows');
  const rows = {
    read: r.count(rowsObject.read, 'rows.read'),
    used: r.count(rowsObject.used, 'rows.used'),
    droppedMissing: r.count(rowsObject.droppedMissing, 'rows.droppedMissing'),
    positiveWeight: r.count(rowsObject.positiveWeight, 'rows.positiveWeight'),
  };

  let gcv: LinregModel['gcv'] = null;
  if (o.gcv !== null && o.gcv !== undefined) {
    const g = r.object(o.gcv, 'gcv');
    const lambdas = r.nullableNumbers(g.lambdas, 'gcv.lambdas');
    gcv = {
      lambdas,
      scores: r.nullableNumbers(g.scores, 'gcv.scores', lambdas.length),
      chosen: r.finiteNumber(g.chosen, 'gcv.chosen'),
    };
  }

  const weights = o.weights === null ? null : r.string(o.weights, 'weights');
  // Optional (added without a version bump): absent or false in models that read no temporal column.
  const timestamps = o.timestamps === undefined ? false : r.boolean(o.timestamps, 'timestamps');
  const rank = r.count(o.rank, 'rank');
  if (rank > m) r.fail('rank', `rank ${rank} exceeds the ${m} design columns`);

  return {
    format: MODEL_FORMAT,
    version: MODEL_VERSION,
    created: r.string(o.created, 'created'),
    target: r.string(o.target, 'target'),
    features,
    intercept,
    weights,
    ...(timestamps ? { timestamps: true as const } : {}),
    solver: r.oneOf(o.solver, 'solver', SOLVERS),
    aliasedPolicy: r.oneOf(o.aliasedPolicy, 'aliasedPolicy', ['min-norm', 'drop'] as const),
    ridge: {
      lambda: r.finiteNumber(ridgeObject.lambda, 'ridge.lambda'),
      standardize: r.boolean(ridgeObject.standardize, 'ridge.standardize'),
    },
    level,
    rank,
    coefficients,
    aliased,
    covUnscaled,
    ...(se === undefined ? {} : { se, covRobust }),
    statistics,
    ...(o.diagnostics === undefined ? {} : { diagnostics: parseDiagnostics(r, o.diagnostics) }),
    rows,
    gcv,
    refinementSteps: r.count(o.refinementSteps, 'refinementSteps'),
    ...(o.sgd === undefined ? {} : { sgd: parseSgd(r, o.sgd) }),
    warnings: r.strings(o.warnings, 'warnings'),
  };
}

function parseSgd(r: FieldReader, value: Json): ModelSgd {
  const o = r.object(value, 'sgd');
  const history = r.array(o.history, 'sgd.history').map((entry, i): ModelSgdEpoch => {
    const path = `sgd.history[${i}]`;
    const e = r.object(entry, path);
    return {
      epoch: r.count(e.epoch, `${path}.epoch`),
      learningRate: r.finiteNumber(e.learningRate, `${path}.learningRate`),
      meanLoss: r.nullableNumber(e.meanLoss, `${path}.meanLoss`),
      change: r.nullableNumber(e.change, `${path}.change`),
      relativeError: r.nullableNumber(e.relativeError, `${path}.relativeError`),
    };
  });
  return {
    optimizer: r.oneOf(o.optimizer, 'sgd.optimizer', ['sgd', 'adam'] as const),
    status: r.oneOf(o.status, 'sgd.status', ['converged', 'max-epochs'] as const),
    epochs: r.count(o.epochs, 'sgd.epochs'),
    tol: r.finiteNumber(o.tol, 'sgd.tol'),
    learningRate: r.finiteNumber(o.learningRate, 'sgd.learningRate'),
    batchSize: r.count(o.batchSize, 'sgd.batchSize'),
    estimate: r.oneOf(o.estimate, 'sgd.estimate', ['overall-average', 'epoch-average'] as const),
    gradientNorm: r.nullableNumber(o.gradientNorm, 'sgd.gradientNorm'),
    checked: r.boolean(o.checked, 'sgd.checked'),
    relativeError: r.nullableNumber(o.relativeError, 'sgd.relativeError'),
    history,
  };
}
