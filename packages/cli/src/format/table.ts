/**
 * The fitted model as text, in the manner of R's print.summary.lm: the
 * coefficient table with confidence intervals and significance stars (its
 * covariance type named in the header when robust), then
 * residual standard error, R², F, log-likelihood / AIC / BIC, condition
 * number, row counts, residual diagnostics, the aliasing report, the SGD report, and warnings.
 */
import type { LinregModel, ModelTopRow } from '@linreg/core';
import { renderGrid } from './grid.js';
import { ciLabels, formatG, formatNumber, formatPValue, SIGNIF_LEGEND, stars } from './numbers.js';

export interface RunSummary {
  readonly inputs: number;
  readonly units: number;
  readonly workers: number;
  readonly seconds: number;
  /** In place of the workers: how the rows were reduced (merge: `merged from 8 state file(s)`). */
  readonly how?: string | undefined;
}

function header(model: LinregModel): string {
  const terms = model.features.length === 0 ? '1' : model.features.join(' + ');
  const parts = [
    model.terms?.formula ?? `${model.target} ~ ${model.intercept ? '' : '0 + '}${terms}`,
  ];
  parts.push(`solver ${model.solver}`);
  if (model.weights !== null) parts.push(`weights ${model.weights}`);
  if (model.cluster !== undefined) {
    // Stata's CR1 is sandwich::vcovCL's type HC1 (CR0: HC0).
    const by = model.cluster.columns.map((c, i) => `${c} (${model.cluster?.clusters[i]} clusters)`);
    parts.push(`covariance type ${covarianceName(model)} (cluster-robust by ${by.join(', ')})`);
  } else if (model.se !== undefined) {
    // statsmodels' "Covariance Type: HC3" line.
    parts.push(`covariance type ${model.se.toUpperCase()} (heteroskedasticity-robust)`);
  }
  if (model.ridge.lambda > 0) {
    parts.push(
      `ridge λ = ${formatNumber(model.ridge.lambda)}${model.ridge.standardize ? ' (standardized)' : ''}`,
    );
  }
  return `Model: ${parts.join(', ')}`;
}

function coefficientLines(model: LinregModel): string[] {
  const [lo, hi] = ciLabels(model.level);
  const head = ['', 'Estimate', 'Std. Error', 't value', 'Pr(>|t|)', '', lo, hi];
  const rows = model.coefficients.map((c) => [
    c.name,
    formatNumber(c.estimate),
    formatNumber(c.stdError),
    formatNumber(c.t, 3),
    formatPValue(c.p),
    stars(c.p),
    formatNumber(c.ciLow),
    formatNumber(c.ciHigh),
  ]);
  const aliased = model.coefficients.filter((c) => c.aliased).length;
  const title =
    aliased === 0
      ? 'Coefficients:'
      : model.aliasedPolicy === 'drop'
        ? `Coefficients: (${aliased} not defined because of singularities)`
        : `Coefficients: (${aliased} aliased; minimum-norm estimates shown)`;
  return [title, ...renderGrid(head, rows, { leftAligned: [5] }), '---', SIGNIF_LEGEND];
}

function statisticLines(model: LinregModel): string[] {
  const s = model.statistics;
  const lines = [
    `Residual standard error: ${formatNumber(s.sigma)} on ${formatNumber(s.residualDf, 6)} degrees of freedom`,
    `Multiple R-squared:  ${formatNumber(s.rSquared)},\tAdjusted R-squared:  ${formatNumber(s.adjRSquared)}`,
  ];
  if (!Number.isNaN(s.fStatistic)) {
    const p = formatPValue(s.fPValue);
    const wald = model.se === undefined ? '' : ` (Wald, ${covarianceName(model)})`;
    lines.push(
      `F-statistic${wald}: ${formatG(s.fStatistic)} on ${formatNumber(s.fDf1, 6)} and ${formatNumber(s.fDf2, 6)} DF,  p-value: ${p.startsWith('<') ? `< ${p.slice(1).replace('2e-16', '2.2e-16')}` : p}`,
    );
  }
  lines.push(
    `Log-likelihood: ${formatNumber(s.logLik, 6)} (df=${formatNumber(s.logLikDf, 6)}),  AIC: ${formatNumber(s.aic, 6)},  BIC: ${formatNumber(s.bic, 6)}`,
    `Condition number: ${conditionText(s.conditionNumber, s.conditionNumberRaw)},  rank: ${model.rank} of ${model.coefficients.length}`,
  );
  const r = model.rows;
  // Rows --where left out are read, but neither used nor dropped for a missing value.
  const filtered = r.read - r.used - r.droppedMissing;
  lines.push(
    `Rows: ${r.read} read, ${r.used} used, ${r.droppedMissing} dropped for missing values${model.where === undefined ? '' : `, ${filtered} left out by --where`}`,
  );
  return lines;
}

/**
 * The scaled κ (unit-norm columns, as the rank rule uses) and the raw one
 * that numpy's `np.linalg.cond(X)` and statsmodels' "Cond. No." report;
 * they differ by orders of magnitude when columns have different units.
 */
function conditionText(scaled: number, raw: number | undefined): string {
  const unit = `${formatNumber(scaled)} (unit-norm columns)`;
  return raw === undefined ? unit : `${unit}, ${formatNumber(raw)} raw (as numpy's cond(X))`;
}

function aliasLines(model: LinregModel): string[] {
  if (model.aliased.length === 0) return [];
  const how =
    model.aliasedPolicy === 'drop'
      ? 'aliased columns dropped (their coefficients are NA)'
      : 'minimum-norm solution among all exact fits';
  return [
    `Aliasing: rank ${model.rank} of ${model.coefficients.length}; ${how}:`,
    ...model.aliased.map((a) => `  ${a.relation}`),
  ];
}

/**
 * Residual diagnostics (`--diagnostics`): statsmodels' block under its OLS
 * summary (Omnibus, Prob(Omnibus), Skew, Kurtosis | Durbin-Watson,
 * Jarque-Bera (JB), Prob(JB)), then lmtest's studentized Breusch-Pagan line.
 */
function diagnosticsLines(model: LinregModel): string[] {
  const d = model.diagnostics;
  if (d === undefined) return [];
  const pair = (label: string, value: string): string =>
    `${label}${value.padStart(30 - label.length)}`;
  const left = [
    pair('Omnibus:', formatNumber(d.omnibus)),
    pair('Prob(Omnibus):', formatPValue(d.omnibusP)),
    pair('Skew:', formatNumber(d.skewness)),
    pair('Kurtosis:', formatNumber(d.kurtosis)),
  ];
  const right = [
    pair('Durbin-Watson:', formatNumber(d.durbinWatson)),
    pair('Jarque-Bera (JB):', formatNumber(d.jarqueBera)),
    pair('Prob(JB):', formatPValue(d.jarqueBeraP)),
    '',
  ];
  const which = model.weights === null ? 'residuals' : 'weighted residuals √w·e';
  const bpP = formatPValue(d.breuschPaganP);
  const bp = Number.isNaN(d.breuschPagan)
    ? 'studentized Breusch-Pagan test: NA (needs a regressor besides the intercept)'
    : `studentized Breusch-Pagan test: BP = ${formatG(d.breuschPagan, 5)}, df = ${d.breuschPaganDf}, p-value ${bpP.startsWith('<') ? '< 2.2e-16' : `= ${bpP}`}`;
  return [
    `Residual diagnostics (${which}, n = ${d.n}, in file order):`,
    ...left.map((l, i) => `${l}   ${right[i]}`.trimEnd()),
    bp,
    ...topRowLines("Largest Cook's distance:", d.topCook),
    ...topRowLines('Largest leverage (hat):', d.topLeverage),
  ];
}

/**
 * The diagnostics' top rows, one line per measure, largest first: "rows of
 * a.parquet: 17 (0.213), 3 (0.105), …" when they are all in one file, else
 * "row 17 of a.parquet (0.213), …". R prints no such block (its
 * `cooks.distance` and `hatvalues` are named by row); rows are 1-based data
 * rows of their file, dropped rows counted.
 */
function topRowLines(label: string, rows: readonly ModelTopRow[] | undefined): string[] {
  if (rows === undefined || rows.length === 0) return [];
  const file = rows[0]?.file;
  const value = (r: ModelTopRow): string => formatG(r.value, 4);
  if (rows.every((r) => r.file === file)) {
    return [`${label} rows of ${file}: ${rows.map((r) => `${r.row} (${value(r)})`).join(', ')}`];
  }
  return [`${label} ${rows.map((r) => `row ${r.row} of ${r.file} (${value(r)})`).join(', ')}`];
}

/** R's "Residuals:" quantile line of print.summary.lm (quartiles from the pass's sketch, ±0.1%). */
function residualLines(model: LinregModel): string[] {
  const d = model.diagnostics;
  if (d === undefined) return [];
  const values = [d.min, d.q1, d.median, d.q3, d.max].map((v) => formatNumber(v));
  const grid = renderGrid(['', 'Min', '1Q', 'Median', '3Q', 'Max'], [['', ...values]]);
  return [
    model.weights === null ? 'Residuals:' : 'Weighted Residuals:',
    ...grid.map((l) => l.slice(1)),
  ];
}

/** solver sgd: how the optimizer went — converged or not, and how far from the exact answer. */
function sgdLines(model: LinregModel): string[] {
  const sgd = model.sgd;
  if (sgd === undefined) return [];
  const last = sgd.history[sgd.history.length - 1];
  const status =
    sgd.status === 'converged'
      ? `converged (relative change < tol ${formatG(sgd.tol)})`
      : `NOT converged to tol ${formatG(sgd.tol)} (last relative change ${formatG(last?.change ?? Number.NaN)}); standard errors, t and p are NA`;
  const exact = sgd.checked
    ? `relative distance to the exact coefficients ${formatG(sgd.relativeError)}`
    : 'not checked against the exact solution (--check off)';
  return [
    `SGD (${sgd.optimizer}): ${sgd.epochs} epoch(s), ${status}`,
    `  learning rate ${formatG(sgd.learningRate)}, batch size ${sgd.batchSize}, gradient norm ${formatG(sgd.gradientNorm)}; ${exact}`,
  ];
}

export function renderSummary(model: LinregModel, run?: RunSummary): string {
  const blocks: string[][] = [
    model.where === undefined ? [header(model)] : [header(model), `Rows where: ${model.where}`],
    residualLines(model),
    coefficientLines(model),
    statisticLines(model),
    diagnosticsLines(model),
    aliasLines(model),
    sgdLines(model),
  ];
  if (model.gcv !== null && model.gcv.lambdas.length > 0) {
    const lambdas = model.gcv.lambdas;
    blocks.push([
      `GCV: λ = ${formatNumber(model.gcv.chosen)} chosen from ${lambdas.length} values in [${formatNumber(Math.min(...lambdas))}, ${formatNumber(Math.max(...lambdas))}]`,
    ]);
  }
  if (model.refinementSteps > 0)
    blocks.push([`Iterative refinement: ${model.refinementSteps} step(s)`]);
  if (model.warnings.length > 0)
    blocks.push(['Warnings:', ...model.warnings.map((w) => `  - ${w}`)]);
  if (run !== undefined) {
    blocks.push([
      `Run: ${run.inputs} input(s), ${run.units} unit(s), ${run.how ?? (run.workers === 0 ? 'read in the main thread' : `${run.workers} worker(s)`)}, ${run.seconds.toFixed(2)} s`,
    ]);
  }
  return `${blocks
    .filter((b) => b.length > 0)
    .map((b) => b.join('\n'))
    .join('\n\n')}\n`;
}

/** HC0–HC3, or CR0 / CR1 for a cluster-robust covariance. */
function covarianceName(model: LinregModel): string {
  const se = (model.se ?? 'classical').toUpperCase();
  return model.cluster === undefined ? se : se.replace('HC', 'CR');
}
