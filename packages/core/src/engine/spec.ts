/**
 * What a fit is asked to do, and its validation at the public boundary: every
 * option is checked here, once, with an error naming the option and value.
 */
import type { DataFormat } from '@linreg/io';
import { SpecError } from '../errors.js';
import type { AliasedPolicy } from '../numerics/solve/index.js';
import type { MissingPolicy } from './protocol.js';
import type { SgdSpec } from './sgd/sgd-spec.js';

export type Solver = 'qr' | 'normal' | 'sgd';
export type RefineMode = 'auto' | 'on' | 'off';

export interface FitSpec {
  /** Files, directories, globs, or '-' for an Arrow IPC stream on stdin. */
  readonly inputs: readonly string[];
  readonly target: string;
  /** Feature columns (default: every numeric column except target, weights and `exclude`). */
  readonly features?: readonly string[] | undefined;
  readonly exclude?: readonly string[] | undefined;
  /** Fit an intercept (default true). */
  readonly intercept?: boolean | undefined;
  /** Column of non-negative case weights (WLS). */
  readonly weights?: string | undefined;
  /** 'qr' (TSQR, default), 'normal' (Gram route) or 'sgd'. */
  readonly solver?: Solver | undefined;
  /** Ridge penalty λ ≥ 0, or 'auto' for GCV (default 0). */
  readonly ridge?: number | 'auto' | undefined;
  /** Penalize standardized features (default false). */
  readonly standardize?: boolean | undefined;
  readonly aliased?: AliasedPolicy | undefined;
  readonly missing?: MissingPolicy | undefined;
  readonly refine?: RefineMode | undefined;
  /** Confidence level of the intervals (default 0.95). */
  readonly level?: number | undefined;
  /** Force the input format instead of detecting it from extension and magic bytes. */
  readonly format?: DataFormat | undefined;
  /**
   * Accept date, time and timestamp columns (Parquet, Arrow) as features,
   * read as seconds since the epoch (times: since midnight); default false.
   */
  readonly timestamps?: boolean | undefined;
  /** Rows per batch read by a worker (default 65536). */
  readonly batchRows?: number | undefined;
  /**
   * solver 'sgd' only: optimizer settings (see sgd/sgd-spec.ts). The penalty
   * comes from `ridge` (a number) and its scale from `standardize`; the exact
   * check always runs, since the model's inference needs it.
   */
  readonly sgd?: SgdOptions | undefined;
}

export type SgdOptions = Omit<SgdSpec, 'p' | 'intercept' | 'weighted' | 'l2' | 'l2Scale' | 'check'>;

/** FitSpec with every default filled in. */
export interface ResolvedFitSpec {
  readonly inputs: readonly string[];
  readonly target: string;
  readonly features: readonly string[] | undefined;
  readonly exclude: readonly string[];
  readonly intercept: boolean;
  readonly weights: string | undefined;
  readonly solver: Solver;
  readonly ridge: number | 'auto';
  readonly standardize: boolean;
  readonly aliased: AliasedPolicy;
  readonly missing: MissingPolicy;
  readonly refine: RefineMode;
  readonly level: number;
  readonly format: DataFormat | undefined;
  readonly timestamps: boolean;
  readonly batchRows: number;
  readonly sgd: SgdOptions;
}

export const DEFAULT_BATCH_ROWS = 65_536;

function oneOf<T extends string>(
  option: string,
  value: T | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value)) {
    throw new SpecError(
      option,
      `must be one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function names(
  option: string,
  value: readonly string[] | undefined,
): readonly string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string' || v === '')) {
    throw new SpecError(option, 'must be a list of non-empty column names');
  }
  const seen = new Set<string>();
  for (const v of value) {
    if (seen.has(v)) throw new SpecError(option, `column ${v} is listed twice`);
    seen.add(v);
  }
  return value;
}

export function resolveFitSpec(spec: FitSpec): ResolvedFitSpec {
  if (!Array.isArray(spec.inputs) || spec.inputs.length === 0) {
    throw new SpecError('inputs', 'at least one input file is required');
  }
  if (spec.inputs.includes('-') && spec.inputs.length > 1) {
    throw new SpecError('inputs', "'-' (stdin) cannot be combined with other inputs");
  }
  if (typeof spec.target !== 'string' || spec.target === '') {
    throw new SpecError('target', 'a target column is required');
  }
  const features = names('features', spec.features);
  const exclude = names('exclude', spec.exclude) ?? [];
  if (features !== undefined && exclude.length > 0) {
    throw new SpecError('exclude', 'give either features or exclude, not both');
  }
  const weights = spec.weights;
  if (weights !== undefined && (typeof weights !== 'string' || weights === '')) {
    throw new SpecError('weights', 'must be a column name');
  }
  for (const used of [spec.target, ...(weights === undefined ? [] : [weights])]) {
    if (features?.includes(used)) {
      throw new SpecError(
        'features',
        `column ${used} is the target or weights and cannot be a feature`,
      );
    }
  }
  if (weights !== undefined && weights === spec.target) {
    throw new SpecError('weights', `column ${weights} is the target`);
  }
  const ridge = spec.ridge ?? 0;
  if (ridge !== 'auto' && !(typeof ridge === 'number' && Number.isFinite(ridge) && ridge >= 0)) {
    throw new SpecError('ridge', `must be a finite number >= 0 or 'auto', got ${String(ridge)}`);
  }
  const level = spec.level ?? 0.95;
  if (!(typeof level === 'number' && level > 0 && level < 1)) {
    throw new SpecError('level', `must be in (0, 1), got ${String(level)}`);
  }
  const batchRows = spec.batchRows ?? DEFAULT_BATCH_ROWS;
  if (!Number.isInteger(batchRows) || batchRows < 1) {
    throw new SpecError('batchRows', `must be a positive integer, got ${String(batchRows)}`);
  }
  const solver = oneOf('solver', spec.solver, ['qr', 'normal', 'sgd'], 'qr');
  if (solver === 'sgd' && ridge === 'auto') {
    throw new SpecError('ridge', "'auto' (GCV) needs an exact solver; give sgd a number");
  }
  if (solver !== 'sgd' && spec.sgd !== undefined) {
    throw new SpecError('sgd', `options apply to solver 'sgd' only, the solver is '${solver}'`);
  }
  const format = spec.format;
  if (format !== undefined) oneOf('format', format, ['parquet', 'arrow', 'csv'], 'parquet');
  return {
    inputs: spec.inputs,
    target: spec.target,
    features,
    exclude,
    intercept: spec.intercept ?? true,
    weights,
    solver,
    ridge,
    standardize: spec.standardize ?? false,
    aliased: oneOf('aliased', spec.aliased, ['min-norm', 'drop'], 'min-norm'),
    missing: oneOf('missing', spec.missing, ['drop', 'error'], 'drop'),
    refine: oneOf('refine', spec.refine, ['auto', 'on', 'off'], 'auto'),
    level,
    format,
    timestamps: spec.timestamps === true,
    batchRows,
    sgd: spec.sgd ?? {},
  };
}
