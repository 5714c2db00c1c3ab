/**
 * The report's tables as HTML: the coefficient table (R's summary.lm
 * columns), the fit's statistics, the residual summary, the aliasing
 * relations and the most influential rows. Every name and value is escaped.
 */
import type { InfluentialRow, LinregModel, ReportData } from '@linreg/core';
import { formatNumber, formatPValue } from '../format/numbers.js';
import { rowLabel } from './leverage-plot.js';
import { el, text } from './svg.js';

const cell = (v: string, cls?: string): string =>
  el('td', cls === undefined ? {} : { class: cls }, text(v));
const num = (v: number, digits = 4): string => cell(formatNumber(v, digits), 'num');
/** A p-value as R prints it: `<2e-16` below machine epsilon, not a rounded 0. */
const pCell = (p: number): string => cell(formatPValue(p), 'num');
/** The same in prose: `p < 2.2e-16`, as summary.lm's F line. */
const pText = (p: number): string => {
  const f = formatPValue(p);
  return f.startsWith('<') ? 'p < 2.2e-16' : `p ${f}`;
};
const head = (names: readonly string[]): string =>
  el('thead', {}, el('tr', {}, ...names.map((n) => el('th', {}, text(n)))));

export function coefficientTable(model: LinregModel): string {
  const pct = `${Math.round(model.level * 1000) / 10}%`;
  const rows = model.coefficients.map((c) =>
    el(
      'tr',
      c.aliased ? { class: 'aliased' } : {},
      cell(c.name, 'name'),
      num(c.estimate),
      num(c.stdError),
      num(c.t),
      pCell(c.p),
      num(c.ciLow),
      num(c.ciHigh),
      num(c.vif, 3),
      cell(c.aliased ? 'aliased' : ''),
    ),
  );
  return el(
    'table',
    { class: 'coefficients' },
    head([
      '',
      'Estimate',
      'Std. Error',
      't value',
      'Pr(>|t|)',
      `${pct} low`,
      `${pct} high`,
      'VIF',
      '',
    ]),
    el('tbody', {}, ...rows),
  );
}

/** Label / value pairs as a two-column table. */
export function factTable(facts: readonly (readonly [string, string])[]): string {
  return el(
    'table',
    { class: 'facts' },
    el('tbody', {}, ...facts.map(([k, v]) => el('tr', {}, el('th', {}, text(k)), cell(v)))),
  );
}

export function statisticsFacts(model: LinregModel): [string, string][] {
  const s = model.statistics;
  return [
    ['Residual standard error', `${formatNumber(s.sigma)} on ${formatNumber(s.residualDf, 6)} df`],
    ['R² / adjusted R²', `${formatNumber(s.rSquared)} / ${formatNumber(s.adjRSquared)}`],
    [
      'F statistic',
      `${formatNumber(s.fStatistic)} on ${formatNumber(s.fDf1, 6)} and ${formatNumber(s.fDf2, 6)} df, ${pText(s.fPValue)}`,
    ],
    ['AIC / BIC', `${formatNumber(s.aic, 7)} / ${formatNumber(s.bic, 7)}`],
    ['Rank', `${model.rank} of ${model.coefficients.length}`],
    ['Condition number (scaled)', formatNumber(s.conditionNumber)],
  ];
}

export function residualFacts(data: ReportData): [string, string][] {
  const d = data.diagnostics;
  return [
    [
      'Min / Q1 / median / Q3 / max',
      [d.min, d.q1, d.median, d.q3, d.max].map((v) => formatNumber(v)).join(' / '),
    ],
    ['Skewness / kurtosis', `${formatNumber(d.skewness)} / ${formatNumber(d.kurtosis)}`],
    ['Jarque–Bera', `${formatNumber(d.jarqueBera)}, ${pText(d.jarqueBeraP)}`],
    ['Durbin–Watson (file order)', formatNumber(d.durbinWatson)],
  ];
}

export function aliasingList(model: LinregModel): string {
  if (model.aliased.length === 0) {
    return el(
      'p',
      { class: 'aliasing none' },
      text('No aliased columns: the design has full rank.'),
    );
  }
  return el(
    'ul',
    { class: 'aliasing' },
    ...model.aliased.map((a) => el('li', {}, el('code', {}, text(a.relation)))),
  );
}

export function influentialTable(rows: readonly InfluentialRow[], withFile: boolean): string {
  return el(
    'table',
    { class: 'influential' },
    head(['Row', "Cook's distance", 'Leverage', 'Std. residual', 'Fitted', 'Residual']),
    el(
      'tbody',
      {},
      ...rows.map((r) =>
        el(
          'tr',
          {},
          cell(rowLabel(r, withFile), 'name'),
          num(r.cook),
          num(r.leverage),
          num(r.standardized),
          num(r.fitted, 6),
          num(r.residual),
        ),
      ),
    ),
  );
}
