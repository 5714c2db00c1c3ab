/**
 * `linreg anova`'s output: R's print.anova layout of `anova(m1, m2)` (the
 * "Analysis of Variance Table" with Res.Df, RSS, Df, Sum of Sq, F, Pr(>F) and
 * significance stars), or JSON with every number in full precision.
 */
import type { AnovaTable } from '@linreg/core';
import { renderGrid } from './grid.js';
import { formatNumber, SIGNIF_LEGEND, stars } from './numbers.js';

const EPS = 2.220446049250313e-16;

/** A cell as R's print.anova shows it: 5 significant digits, blank where R has NA in the first row. */
const cell = (v: number, digits = 5): string => (Number.isNaN(v) ? '' : formatNumber(v, digits));
/** printCoefmat's p-value: format.pval with 4 digits, `< 2.2e-16` below machine epsilon. */
const pCell = (p: number): string =>
  Number.isNaN(p) ? '' : p < EPS ? '< 2.2e-16' : formatNumber(p, 4);

export function renderAnova(table: AnovaTable): string {
  const head = ['', 'Res.Df', 'RSS', 'Df', 'Sum of Sq', 'F', 'Pr(>F)', ''];
  const rows = table.rows.map((r, i) => [
    String(i + 1),
    formatNumber(r.resDf, 6),
    cell(r.rss),
    cell(r.df, 6),
    cell(r.sumOfSq),
    cell(r.f),
    pCell(r.p),
    stars(r.p),
  ]);
  const lines = [
    'Analysis of Variance Table',
    '',
    `Model 1: ${table.formulas[0]}`,
    `Model 2: ${table.formulas[1]}`,
    ...renderGrid(head, rows, { leftAligned: [7] }),
    '---',
    SIGNIF_LEGEND,
  ];
  return `${lines.join('\n')}\n`;
}

/** The table as JSON: the two models, then one object per row; NaN (R's NA) as null. */
export function anovaJsonText(table: AnovaTable, files: readonly [string, string]): string {
  const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const json = {
    models: table.formulas.map((formula, i) => ({ file: files[i], formula })),
    table: table.rows.map((r) => ({
      resDf: num(r.resDf),
      rss: num(r.rss),
      df: num(r.df),
      sumOfSq: num(r.sumOfSq),
      F: num(r.f),
      p: num(r.p),
    })),
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
