/**
 * THE option table: every option of `fit` and `predict`, declared once —
 * library key, kind (and so its check), default, help, CLI flag and alias,
 * the solvers that accept it and the commands that take it. The library's
 * types (FitSpec, ResolvedFitSpec, PredictSpec, …), the resolver and the
 * CLI's flags (packages/cli/src/options.ts) are all derived from it; the
 * checks between options live at the end of this file.
 *
 * Adding an option: one entry here, then the code that uses the value.
 */
import { availableParallelism } from 'node:os';
import { SpecError } from '@linreg/errors';
import { type Command, type OptionTable, option, type ResolvedOf } from './decl.js';
import {
  boolean,
  choice,
  column,
  columns,
  filterText,
  formulaText,
  integer,
  number,
  numberOrAuto,
  paths,
  region,
  url,
} from './kinds.js';

export const DEFAULT_BATCH_ROWS = 65_536;
/** `check: 'auto'` builds SGD's exact state alongside while its p² size is this cheap. */
export const AUTO_CHECK_MAX_FEATURES = 2000;

const FIT = ['fit'] as const satisfies readonly Command[];
const PREDICT = ['predict'] as const satisfies readonly Command[];
const BOTH = ['fit', 'predict'] as const satisfies readonly Command[];
/** Options of every command that reads data. */
const READING = ['fit', 'predict', 'score', 'report'] as const satisfies readonly Command[];
const APPLYING = ['predict', 'score'] as const satisfies readonly Command[];
const SGD = ['sgd'] as const;
const EXACT = ['auto', 'qr', 'normal'] as const;
const FORMATS = ['parquet', 'arrow', 'csv'] as const;

export const OPTIONS = Object.freeze({
  // ------------------------------------------------------------------ what to fit
  inputs: option(paths(), {
    commands: FIT,
    required: true,
    help: "Parquet / Arrow / CSV files, directories or globs; '-' reads an Arrow IPC stream from stdin",
    cli: { positional: true },
  }),
  formula: option(formulaText(), {
    commands: FIT,
    help: "Model formula as in R: 'log(y) ~ x1 * g + poly(x2, 3) + offset(e) - 1' (instead of --target/--features)",
    cli: { alias: 'f' },
  }),
  target: option(column(), {
    commands: FIT,
    help: 'Target (response) column; several, comma-separated (y1,y2), are fitted from one pass (or give a --formula)',
    cli: { alias: 'y' },
  }),
  features: option(columns(), {
    commands: FIT,
    help: 'Feature columns, comma-separated',
    defaultHelp: 'every numeric column but target, weights and exclude',
    cli: {},
  }),
  exclude: option(columns(), {
    commands: FIT,
    default: [],
    help: 'Columns to leave out of the default features, comma-separated',
    cli: {},
  }),
  intercept: option(boolean(), {
    commands: FIT,
    default: true,
    help: 'Fit an intercept (--no-intercept: through the origin, R² uncentered)',
    cli: {},
  }),
  weights: option(column(), {
    commands: FIT,
    help: 'Column of non-negative case weights (WLS)',
    cli: {},
  }),
  solver: option(choice(['auto', 'qr', 'normal', 'sgd']), {
    commands: FIT,
    default: 'auto',
    help: 'qr: TSQR (exact, stable); normal: Gram route (faster, squares κ; factors added sparsely); sgd: averaged SGD / Adam; auto: normal for designs mostly of factor columns, else qr',
    cli: {},
  }),
  ridge: option(numberOrAuto({ ge: 0 }), {
    commands: FIT,
    default: 0,
    help: "Ridge penalty λ (intercept never penalized), or 'auto': λ by GCV",
    cli: {},
  }),
  standardize: option(boolean(), {
    commands: FIT,
    default: false,
    help: 'Ridge: penalize standardized coefficients',
    cli: {},
  }),
  aliased: option(choice(['min-norm', 'drop']), {
    commands: FIT,
    default: 'min-norm',
    help: 'Rank deficiency: the minimum-norm solution, or drop aliased columns (as R)',
    cli: {},
  }),
  missing: option(choice(['drop', 'error']), {
    commands: FIT,
    default: 'drop',
    help: 'Rows with a null/NaN in a used column: drop and count them, or fail naming the row',
    cli: {},
  }),
  where: option(filterText(), {
    commands: ['fit', 'score'] as const,
    help: "Use only the rows where a condition holds (SQL WHERE, R's subset): 'region = \"EU\" and x1 > 0 and x3 is not null'",
    cli: {},
  }),
  refine: option(choice(['auto', 'on', 'off']), {
    commands: FIT,
    default: 'auto',
    solvers: EXACT,
    help: 'Double-double refinement pass (auto: when the condition estimate says digits were lost)',
    cli: {},
  }),
  se: option(choice(['classical', 'hc0', 'hc1', 'hc2', 'hc3']), {
    commands: FIT,
    default: 'classical',
    solvers: EXACT,
    help: "Standard errors: classical, or heteroskedasticity-robust HC0–HC3 (R's sandwich::vcovHC) from a second pass",
    cli: {},
  }),
  cluster: option(columns(), {
    commands: FIT,
    solvers: EXACT,
    help: "Cluster-robust standard errors by one or two columns (firm or firm,year): CR1 as Stata and R's sandwich::vcovCL (two-way: Cameron–Gelbach–Miller), from a second pass",
    cli: {},
  }),
  maxClusters: option(integer(2, 100_000_000), {
    commands: FIT,
    default: 1_000_000,
    solvers: EXACT,
    help: 'Most clusters --cluster may find in a column (memory is about clusters × p doubles)',
    cli: {},
  }),
  by: option(columns(), {
    commands: FIT,
    help: "Fit one model per group of these columns (store or store,month), all in the same pass (R's by, SQL GROUP BY)",
    cli: {},
  }),
  maxGroups: option(integer(1, 1_000_000), {
    commands: FIT,
    default: 1000,
    help: 'Most groups --by may find (memory is about groups × p² doubles)',
    cli: {},
  }),
  diagnostics: option(boolean(), {
    commands: FIT,
    default: false,
    solvers: EXACT,
    help: 'Residual diagnostics (skewness, kurtosis, Jarque–Bera, omnibus, Durbin–Watson, Breusch–Pagan) from one more pass',
    cli: {},
  }),
  topK: option(integer(0, 100), {
    commands: FIT,
    default: 5,
    solvers: EXACT,
    help: "Rows of largest Cook's distance and of largest leverage listed by --diagnostics (0: none)",
    cli: {},
  }),
  keepState: option(boolean(), {
    commands: FIT,
    default: false,
    solvers: EXACT,
    help: 'Keep the merged state (about p² numbers) in the model file, so linreg update can add new rows',
    cli: {},
  }),
  level: option(number({ gt: 0, lt: 1 }), {
    commands: BOTH,
    default: (_, context) => context.model?.level ?? 0.95,
    defaultHelp: { fit: '0.95', predict: "the model's level" },
    help: 'Confidence level of the intervals',
    cli: {},
  }),

  maxLevels: option(integer(2, 1_000_000), {
    commands: FIT,
    default: 1000,
    help: 'Most levels a factor may have (a column with more is refused, or left out of the default features)',
    cli: {},
  }),

  // ------------------------------------------------------------------ predict
  unseenLevels: option(choice(['error', 'na']), {
    commands: APPLYING,
    default: 'error',
    help: 'A factor level the model never saw: fail naming the row, or predict null for that row',
    cli: {},
  }),
  keep: option(columns(), {
    commands: PREDICT,
    default: [],
    help: 'Input columns copied to the output before the predictions, values and type unchanged, comma-separated',
    cli: {},
  }),
  interval: option(choice(['none', 'confidence', 'prediction']), {
    commands: PREDICT,
    default: 'none',
    help: 'Add se_fit, lower_<level> and upper_<level> (and se_pred for prediction) columns',
    cli: {},
  }),
  outputFormat: option(choice(FORMATS), {
    commands: PREDICT,
    help: "Output format (with '-o -': arrow, the default, or csv)",
    defaultHelp: "from the output's extension",
    cli: {},
  }),
  residuals: option(boolean(), {
    commands: PREDICT,
    default: false,
    help: "Also a residual column y − ŷ (the target, or a formula model's response, must be in the data)",
    cli: {},
  }),

  // ------------------------------------------------------------------ report
  bins: option(integer(10, 200), {
    commands: ['report'] as const,
    default: 60,
    help: 'Bins per axis of the density plots (residuals vs fitted, scale–location, leverage)',
    cli: {},
  }),
  top: option(integer(0, 100), {
    commands: ['report'] as const,
    default: 5,
    help: "Rows of largest Cook's distance labelled on the leverage plot and listed",
    cli: {},
  }),

  // ------------------------------------------------------------------ reading and running
  format: option(choice(FORMATS), {
    commands: READING,
    help: 'Input format',
    defaultHelp: 'detected from extension and magic bytes',
    cli: {},
  }),
  timestamps: option(boolean(), {
    commands: READING,
    default: (_, context) => context.model?.timestamps === true,
    defaultHelp: {
      fit: 'false',
      predict: 'as the model was fit',
      score: 'as the model was fit',
      report: 'as the model was fit',
    },
    help: 'Read date, time and timestamp columns as seconds since the epoch (times: since midnight)',
    cli: {},
  }),
  workers: option(integer(1, 1024), {
    commands: READING,
    default: () => availableParallelism(),
    defaultHelp: 'all cores',
    help: 'Worker threads; never changes the answer',
    cli: { alias: 'j' },
  }),
  batchRows: option(integer(1), {
    commands: READING,
    default: DEFAULT_BATCH_ROWS,
    help: 'Rows per batch read by a worker',
    cli: false,
  }),
  s3Endpoint: option(url(), {
    commands: READING,
    help: 'S3-compatible endpoint for s3:// inputs (path-style addressing)',
    defaultHelp: 'AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL, else AWS',
    cli: {},
  }),
  s3Region: option(region(), {
    commands: READING,
    help: 'Region of s3:// inputs',
    defaultHelp: 'AWS_REGION, AWS_DEFAULT_REGION, else us-east-1',
    cli: {},
  }),

  // ------------------------------------------------------------------ solver sgd only
  optimizer: option(choice(['sgd', 'adam']), {
    commands: FIT,
    solvers: SGD,
    default: 'sgd',
    help: 'Plain SGD or Adam (AMSGrad)',
    cli: {},
  }),
  learningRate: option(number({ gt: 0 }), {
    commands: FIT,
    solvers: SGD,
    defaultHelp: 'from the data',
    help: 'Step size η',
    cli: {},
  }),
  batchSize: option(integer(1), {
    commands: FIT,
    solvers: SGD,
    defaultHelp: 'from the data (64, fewer on small units)',
    help: 'Rows per step',
    cli: {},
  }),
  epochs: option(integer(1), {
    commands: FIT,
    solvers: SGD,
    default: 20,
    help: 'Maximum epochs',
    cli: {},
  }),
  tol: option(number({ ge: 0 }), {
    commands: FIT,
    solvers: SGD,
    default: 1e-6,
    help: 'Relative change of the epoch average that stops the run',
    cli: {},
  }),
  seed: option(integer(), {
    commands: FIT,
    solvers: SGD,
    default: 0,
    help: 'PRNG seed of the row order',
    cli: {},
  }),
  decay: option(number({ ge: 0 }), {
    commands: FIT,
    solvers: SGD,
    default: 0,
    help: 'Step size at epoch e is η / (1 + decay·(e − 1))',
    cli: {},
  }),
  tailFraction: option(number({ gt: 0, le: 1 }), {
    commands: FIT,
    solvers: SGD,
    default: 0.5,
    help: "Fraction of each unit's steps averaged",
    cli: {},
  }),
  varianceReduction: option(choice(['svrg', 'none']), {
    commands: FIT,
    solvers: SGD,
    default: 'svrg',
    help: 'svrg: variance-reduced steps from epoch 3 on; none: plain steps throughout',
    cli: {},
  }),
  check: option(choice(['auto', 'on', 'off']), {
    commands: FIT,
    solvers: SGD,
    default: 'auto',
    help: `Also build the exact solution in the same passes and report the distance to it; auto = on while p ≤ ${AUTO_CHECK_MAX_FEATURES}`,
    cli: {},
  }),
} as const satisfies OptionTable);

/** Checks between options of `fit`, run by resolveFitSpec after each option was resolved on its own. */
export function checkFitOptions(o: ResolvedOf<typeof OPTIONS, 'fit'>): void {
  if (o.formula === undefined && o.target === undefined) {
    throw new SpecError(
      'target',
      "is required: give a target column (-y) or a formula (-f 'y ~ x')",
    );
  }
  if (o.formula !== undefined) {
    for (const key of ['target', 'features'] as const) {
      if (o[key] !== undefined) {
        throw new SpecError(key, `give either a formula or --target/--features, not both`);
      }
    }
    if (o.exclude.length > 0) {
      throw new SpecError('exclude', "does not apply to a formula (write 'y ~ . - x' instead)");
    }
  }
  if (o.inputs.includes('-') && o.inputs.length > 1) {
    throw new SpecError('inputs', "'-' (stdin) cannot be combined with other inputs");
  }
  if (o.features !== undefined && o.exclude.length > 0) {
    throw new SpecError('exclude', 'give either features or exclude, not both');
  }
  for (const used of [o.target, o.weights].filter((c): c is string => c !== undefined)) {
    if (o.features?.includes(used)) {
      throw new SpecError(
        'features',
        `column ${used} is the target or weights and cannot be a feature`,
      );
    }
  }
  if (o.weights !== undefined && o.weights === o.target) {
    throw new SpecError('weights', `column ${o.weights} is the target`);
  }
  if (o.se !== 'classical' && o.ridge !== 0) {
    throw new SpecError(
      'se',
      `${o.se} needs ridge 0: the sandwich describes an unbiased estimator, ridge is biased`,
    );
  }
  if (o.cluster !== undefined) {
    if (o.cluster.length === 0 || o.cluster.length > 2) {
      throw new SpecError('cluster', `takes one or two columns, got ${o.cluster.length}`);
    }
    if (o.ridge !== 0) {
      throw new SpecError(
        'cluster',
        'needs ridge 0: the sandwich describes an unbiased estimator, ridge is biased',
      );
    }
    if (o.se !== 'classical' && o.se !== 'hc0' && o.se !== 'hc1') {
      throw new SpecError('se', `${o.se} with --cluster: give hc1 (CR1, the default) or hc0`);
    }
  }
  if (o.by !== undefined) checkByOptions(o);
  if (o.keepState && o.by !== undefined) {
    throw new SpecError(
      'keepState',
      'keeps the state of one model; per-group fits (--by) have many',
    );
  }
  if (o.solver === 'sgd' && o.ridge === 'auto') {
    throw new SpecError(
      'ridge',
      'must be a number with solver sgd ("auto", GCV, needs an exact solver)',
    );
  }
}

/** `by`: per-group fits are one accumulate pass, so nothing that needs another pass or SGD's epochs. */
function checkByOptions(o: ResolvedOf<typeof OPTIONS, 'fit'>): void {
  const by = o.by ?? [];
  const onePass = 'per-group fits are one pass over the data';
  if (by.length === 0) throw new SpecError('by', 'needs at least one column');
  if (new Set(by).size !== by.length) throw new SpecError('by', 'names a column twice');
  for (const used of [o.target, o.weights].filter((c): c is string => c !== undefined)) {
    if (by.includes(used)) throw new SpecError('by', `column ${used} is the target or weights`);
  }
  if (o.solver === 'sgd')
    throw new SpecError('by', `needs an exact solver (qr or normal): ${onePass}`);
  if (o.se !== 'classical')
    throw new SpecError('by', `takes classical standard errors only (--se ${o.se}): ${onePass}`);
  if (o.cluster !== undefined)
    throw new SpecError('by', `cannot be combined with --cluster: ${onePass}`);
  if (o.diagnostics) throw new SpecError('by', `cannot be combined with --diagnostics: ${onePass}`);
  if (o.inputs.includes('-'))
    throw new SpecError('by', `cannot read stdin ('-'): ${onePass}; save it to a file`);
}
