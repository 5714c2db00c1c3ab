/**
 * One model's per-term ANOVA (`linreg anova MODEL`, `fit --anova`): R's
 * print.anova layout of `anova(fit)` — Df, Sum Sq, Mean Sq, F value, Pr(>F)
 * per term and the Residuals row — or JSON with every number in full.
 */
import type { LinregModel } from '@linreg/core';
import { UsageError } from '@linreg/errors';
import { renderGrid } from './grid.js';
import { formatNumber, SIGNIF_LEGEND, stars } from './numbers.js';

const EPS = 2.220446049250313e-16;
const pCell = (p: number): string =>
  Number.isNaN(p) ? '' : p < EPS ? '< 2.2e-16' : formatNumber(p, 4);
const cell = (v: number): string => (Number.isNaN(v) ? '' : formatNumber(v, 5));

function termsOf(model: LinregModel, source: string): NonNullable<LinregModel['anova']> {
  if (model.anova === undefined) {
    throw new UsageError(
      `${source}: has no per-term ANOVA (only exact least-squares fits without ridge record one)`,
    );
  }
  return model.anova;
}

export function renderTermAnova(model: LinregModel, source = 'model'): string {
  const terms = termsOf(model, source);
  const s = model.statistics;
  const head = ['', 'Df', 'Sum Sq', 'Mean Sq', 'F value', 'Pr(>F)', ''];
  const rows = terms.map((t) => [
    t.term,
    String(t.df),
    cell(t.sumSq),
    cell(t.meanSq),
    cell(t.f),
    pCell(t.p),
    stars(t.p),
  ]);
  rows.push([
    'Residuals',
    String(s.residualDf),
    cell(s.rss),
    cell(s.rss / s.residualDf),
    '',
    '',
    '',
  ]);
  const lines = [
    'Analysis of Variance Table',
    '',
    `Response: ${model.target}`,
    ...renderGrid(head, rows, { leftAligned: [0, 6] }),
    '---',
    SIGNIF_LEGEND,
  ];
  return `${lines.join('\n')}\n`;
}

export function termAnovaJsonText(model: LinregModel, source = 'model'): string {
  const num = (v: number): number | null => (Number.isFinite(v) ? v : null);
  const s = model.statistics;
  const json = {
    response: model.target,
    table: [
      ...termsOf(model, source).map((t) => ({
        term: t.term,
        df: t.df,
        sumSq: num(t.sumSq),
        meanSq: num(t.meanSq),
        F: num(t.f),
        p: num(t.p),
      })),
      {
        term: 'Residuals',
        df: s.residualDf,
        sumSq: num(s.rss),
        meanSq: num(s.rss / s.residualDf),
        F: null,
        p: null,
      },
    ],
  };
  return `${JSON.stringify(json, null, 2)}\n`;
}
