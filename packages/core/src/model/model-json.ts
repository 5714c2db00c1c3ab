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
import type { TopRow } from '../numerics/diagnostics/index.js';
import { newerVersion, parseJsonText } from './document-json.js';
import { describe, FieldReader, type Json } from './field-reader.js';
import { jsonChunks } from './json-chunks.js';
import {
  designNames,
  type LinregModel,
  MODEL_FORMAT,
  MODEL_VERSION,
  MODEL_VERSIONS_READ,
  type ModelAnovaTerm,
  type ModelCluster,
  type ModelDiagnostics,
  type ModelSgd,
  type ModelSgdEpoch,
  type ModelSolver,
  type ModelTriangularFactor,
} from './model.js';
import { parseTerms } from './terms-json.js';

/**
 * Pretty-printed JSON (two-space indent, trailing newline); NaN and ±Infinity
 * become null. One string: for a model of any size, write modelJsonChunks
 * instead — a wide model's text (p > ~3,000) is longer than V8's largest
 * string, and this throws a ModelFormatError naming its length for it.
 */
export function modelToJson(model: LinregModel): string {
  return joinChunks(modelJsonChunks(model));
}

/**
 * The text of modelToJson in chunks of about a megabyte, never one string
 * (json-chunks.ts): exactly `JSON.stringify(model, null, 2)` and a newline,
 * except that a matrix of more than 2²² entries (m > 2,048) is written one
 * compact row per line (docs/model-format.md, "Large models").
 */
export function modelJsonChunks(model: LinregModel): Generator<string, void, undefined> {
  // JSON.stringify writes every non-finite number as null (ECMA-262 SerializeJSONProperty);
  // no replacer, which would be called for each of a wide model's ~2 million numbers
  // (p = 1,000: ~25% of the time, the same text).
  return jsonChunks(model);
}

/**
 * The model's text for a worker task: one string, or for a model whose text
 * is longer than WORKER_TEXT_CHARS, its UTF-8 bytes in shared memory
 * (parseModel reads both) — a wide model's text may not fit in one string.
 */
export function modelJsonForTask(model: LinregModel): string | Uint8Array {
  const chunks: string[] = [];
  let length = 0;
  for (const chunk of modelJsonChunks(model)) {
    chunks.push(chunk);
    length += chunk.length;
  }
  if (length <= WORKER_TEXT_CHARS) return chunks.join('');
  const encoder = new TextEncoder();
  const pieces = chunks.map((chunk) => encoder.encode(chunk));
  const size = pieces.reduce((sum, piece) => sum + piece.length, 0);
  // Shared memory: every task of the job gets the one copy, not a clone of its ~550 MB each.
  const bytes = new Uint8Array(
    typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(size) : new ArrayBuffer(size),
  );
  let at = 0;
  for (const piece of pieces) {
    bytes.set(piece, at);
    at += piece.length;
  }
  return bytes;
}

/** Above this many characters, a task gets the model's bytes (well under the largest string). */
const WORKER_TEXT_CHARS = 1 << 26;

/** The chunks as one string, or a one-line error naming the size when it cannot be one. */
export function joinChunks(chunks: Iterable<string>): string {
  const parts: string[] = [];
  let length = 0;
  for (const chunk of chunks) {
    length += chunk.length;
    if (length > MAX_STRING_CHARS) throw tooLarge(length);
    parts.push(chunk);
  }
  return parts.join('');
}

/** V8's largest string (2²⁹ − 24 characters on 64-bit). */
export const MAX_STRING_CHARS = 2 ** 29 - 24;

/** A model whose text cannot be one string (a caller that should write modelJsonChunks). */
function tooLarge(chars: number): ModelFormatError {
  return new ModelFormatError(
    'model',
    '',
    `its JSON text is longer than ${chars.toLocaleString('en-US')} characters, over the largest string (${MAX_STRING_CHARS.toLocaleString('en-US')}): it can only be written in chunks`,
  );
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
  // The top rows came later (issue 13): a model written before them has neither field.
  const top = (key: 'topCook' | 'topLeverage'): { [k: string]: TopRow[] } =>
    o[key] === undefined ? {} : { [key]: parseTopRows(r, o[key], `diagnostics.${key}`) };
  return {
    n: r.count(o.n, 'diagnostics.n'),
    ...numbers,
    ...top('topCook'),
    ...top('topLeverage'),
  };
}

function parseTopRows(r: FieldReader, value: Json, path: string): TopRow[] {
  return r.array(value, path).map((v, i) => {
    const o = r.object(v, `${path}[${i}]`);
    return {
      file: r.string(o.file, `${path}[${i}].file`),
      row: r.count(o.row, `${path}[${i}].row`),
      value: r.nullableNumber(o.value, `${path}[${i}].value`),
    };
  });
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
export function parseModel(text: string | Uint8Array, source = '<string>'): LinregModel {
  return parseModelValue(parseJsonText(new FieldReader(source), text), source);
}

/** parseModel on JSON already parsed (a model inside another document: model/groups-json.ts). */
export function parseModelValue(root: Json, source: string): LinregModel {
  const r = new FieldReader(source);
  const o = r.object(root, '(root)');
  if (o.format !== MODEL_FORMAT) {
    r.fail('format', `expected '${MODEL_FORMAT}', got ${describe(o.format)}: not a linreg model`);
  }
  const version = r.finiteNumber(o.version, 'version');
  if (!MODEL_VERSIONS_READ.includes(version)) {
    r.fail(
      'version',
      version > MODEL_VERSION
        ? newerVersion(version, MODEL_VERSION)
        : `unsupported version ${version} (this reader knows ${MODEL_VERSIONS_READ.join(' and ')})`,
    );
  }
  if (version < 2 && o.terms !== undefined) r.fail('terms', 'a version 1 model has no terms');

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
  // Optional (added without a version bump): absent in older files, for ridge and min-norm with aliases.
  const triangularFactor =
    o.triangularFactor === undefined ? undefined : parseFactor(r, o.triangularFactor, design);

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
  // Optional (added without a version bump): cluster-robust fits only.
  let cluster: ModelCluster | undefined;
  if (o.cluster !== undefined) {
    if (se === undefined) r.fail('cluster', 'needs se (the vcovCL type)');
    const c = r.object(o.cluster, 'cluster');
    const columns = r.strings(c.columns, 'cluster.columns');
    if (columns.length < 1 || columns.length > 2) {
      r.fail('cluster.columns', `expected 1 or 2 columns, got ${columns.length}`);
    }
    const clusters = r.array(c.clusters, 'cluster.clusters').map((v, i) => {
      const g = r.nullableNumber(v, `cluster.clusters[${i}]`);
      if (!Number.isInteger(g) || g < 0)
        r.fail(`cluster.clusters[${i}]`, `expected a count, got ${g}`);
      return g;
    });
    if (clusters.length !== (columns.length === 1 ? 1 : 3)) {
      r.fail(
        'cluster.clusters',
        `expected ${columns.length === 1 ? 1 : 3} counts, got ${clusters.length}`,
      );
    }
    cluster = { columns, clusters };
  }

  const s = r.object(o.statistics, 'statistics');
  // In the order build-model.ts writes them, so a model parsed and written again reads the same.
  const statistics = Object.fromEntries(
    STATISTICS.flatMap((key) => {
      const entry: [string, number] = [key, r.nullableNumber(s[key], `statistics.${key}`)];
      // Optional (added without a version bump): absent in older files and for SGD without the check.
      if (key !== 'conditionNumber' || s.conditionNumberRaw === undefined) return [entry];
      const raw = r.nullableNumber(s.conditionNumberRaw, 'statistics.conditionNumberRaw');
      return [entry, ['conditionNumberRaw', raw] as [string, number]];
    }),
  ) as Record<(typeof STATISTICS)[number], number> & { conditionNumberRaw?: number };

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
    ...(o.terms === undefined ? {} : { terms: parseTerms(r, o.terms, features, intercept) }),
    ...(timestamps ? { timestamps: true as const } : {}),
    // Optional (added without a version bump): the `where` filter the fit's rows passed.
    ...(o.where === undefined ? {} : { where: r.string(o.where, 'where') }),
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
    ...(triangularFactor === undefined ? {} : { triangularFactor }),
    ...(se === undefined ? {} : { se, covRobust }),
    ...(cluster === undefined ? {} : { cluster }),
    ...(o.anova === undefined ? {} : { anova: parseAnova(r, o.anova) }),
    statistics,
    ...(o.diagnostics === undefined ? {} : { diagnostics: parseDiagnostics(r, o.diagnostics) }),
    rows,
    gcv,
    refinementSteps: r.count(o.refinementSteps, 'refinementSteps'),
    ...(o.sgd === undefined ? {} : { sgd: parseSgd(r, o.sgd) }),
    warnings: r.strings(o.warnings, 'warnings'),
  };
}

/** The kept columns in design order, positive scales, and a q × q upper triangle with a nonzero diagonal. */
function parseFactor(
  r: FieldReader,
  value: Json,
  design: readonly string[],
): ModelTriangularFactor {
  const path = 'triangularFactor';
  const o = r.object(value, path);
  const columns = r.strings(o.columns, `${path}.columns`);
  let previous = -1;
  columns.forEach((name, i) => {
    const j = design.indexOf(name);
    if (j < 0) r.fail(`${path}.columns[${i}]`, `'${name}' is not a design column`);
    if (j <= previous) r.fail(`${path}.columns[${i}]`, `'${name}' is out of design order`);
    previous = j;
  });
  const q = columns.length;
  const scales = r.array(o.scales, `${path}.scales`);
  if (scales.length !== q) r.fail(`${path}.scales`, `expected ${q} values, got ${scales.length}`);
  const d = scales.map((v, i) => {
    const x = r.finiteNumber(v, `${path}.scales[${i}]`);
    if (!(x > 0)) r.fail(`${path}.scales[${i}]`, `expected a positive number, got ${x}`);
    return x;
  });
  const rows = r.array(o.r, `${path}.r`);
  if (rows.length !== q) r.fail(`${path}.r`, `expected ${q} rows, got ${rows.length}`);
  const tri = rows.map((row, i) => {
    const values = r.array(row, `${path}.r[${i}]`);
    if (values.length !== q)
      r.fail(`${path}.r[${i}]`, `expected ${q} values, got ${values.length}`);
    return values.map((v, j) => {
      const at = `${path}.r[${i}][${j}]`;
      const x = r.finiteNumber(v, at);
      if (j < i && x !== 0) r.fail(at, `expected 0 below the diagonal, got ${x}`);
      if (j === i && x === 0)
        r.fail(at, 'expected a nonzero diagonal entry (the factor is singular)');
      return x;
    });
  });
  return { columns, scales: d, r: tri };
}

function parseAnova(r: FieldReader, value: Json): ModelAnovaTerm[] {
  return r.array(value, 'anova').map((entry, i) => {
    const path = `anova[${i}]`;
    const e = r.object(entry, path);
    return {
      term: r.string(e.term, `${path}.term`),
      df: r.count(e.df, `${path}.df`),
      sumSq: r.nullableNumber(e.sumSq, `${path}.sumSq`),
      meanSq: r.nullableNumber(e.meanSq, `${path}.meanSq`),
      f: r.nullableNumber(e.f, `${path}.f`),
      p: r.nullableNumber(e.p, `${path}.p`),
    };
  });
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
