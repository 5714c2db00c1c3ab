/**
 * The whole report: one self-contained HTML page — inline CSS and inline
 * SVG, no script, no image, no font or link to fetch — readable offline in
 * any browser. Sections: the fit, the coefficients and their plot, the
 * residual plots (binned densities, the Q–Q plot, leverage with the most
 * influential rows labelled), the GCV curve of a ridge fit, the aliasing
 * relations.
 */
import type { LinregModel, ReportData } from '@linreg/core';
import { formatNumber } from '../format/numbers.js';
import { coefficientPlot } from './coefficient-plot.js';
import { densityPlot } from './density-plot.js';
import { gcvPlot } from './gcv-plot.js';
import { leveragePlot } from './leverage-plot.js';
import { qqPlot } from './qq-plot.js';
import { STYLE } from './style.js';
import { el, text } from './svg.js';
import {
  aliasingList,
  coefficientTable,
  factTable,
  influentialTable,
  residualFacts,
  statisticsFacts,
} from './tables.js';

export interface PageInput {
  readonly model: LinregModel;
  readonly data: ReportData;
  /** The model file and data inputs as given, shown in the header. */
  readonly modelFile: string;
  readonly inputs: readonly string[];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

const figure = (svg: string, caption: string): string =>
  el('figure', {}, svg, el('figcaption', {}, text(caption)));

export function reportPage({ model, data, modelFile, inputs }: PageInput): string {
  const files = new Set(data.influential.map((r) => r.file));
  const withFile = files.size > 1;
  const what = model.terms?.formula ?? `${model.target} ~ ${model.features.join(' + ') || '1'}`;
  const ridge = model.ridge.lambda > 0;
  const plots: string[] = [];
  const coefficients = coefficientPlot(model);
  if (coefficients !== undefined) {
    plots.push(
      figure(
        coefficients,
        `Estimates (dots) with their ${Math.round(model.level * 1000) / 10}% confidence intervals; orange: aliased, not identified; the intercept is in the table.`,
      ),
    );
  }
  plots.push(
    figure(
      densityPlot({
        id: 'residuals-fitted',
        title: 'Residuals vs fitted',
        xLabel: 'Fitted values',
        yLabel: model.weights === null ? 'Residuals' : 'Weighted residuals √w·e',
        grid: data.residualFitted,
        bins: data.bins,
        hline: 0,
      }),
      `${data.n} rows in ${data.bins} × ${data.bins} bins, shaded by log count.`,
    ),
    figure(
      qqPlot(data.qq),
      `${data.qq.sample.length} quantiles of ẽ/σ̂ from a one-pass sketch (each within 0.1% of the exact order statistic; the extremes exact).`,
    ),
    figure(
      densityPlot({
        id: 'scale-location',
        title: 'Scale–location',
        xLabel: 'Fitted values',
        yLabel: '√|standardized residuals|',
        grid: data.scaleLocation,
        bins: data.bins,
      }),
      'A trend here means the residuals’ spread changes with the fitted value.',
    ),
  );
  if (data.residualLeverage !== undefined) {
    plots.push(
      figure(
        leveragePlot({
          grid: data.residualLeverage,
          bins: data.bins,
          rank: model.rank,
          influential: data.influential,
          withFile,
        }),
        `The ${data.influential.length} rows of largest Cook's distance are labelled; the dashed curves, where in range, are Cook's distance 0.5 and 1.`,
      ),
    );
  }
  const gcv = gcvPlot(model);
  if (gcv !== undefined) {
    plots.push(
      figure(
        gcv,
        `The generalized cross-validation score the fit minimized; chosen λ = ${formatNumber(model.gcv?.chosen ?? Number.NaN, 6)}.`,
      ),
    );
  }
  const body = [
    el('h1', {}, text('linreg diagnostics report')),
    el(
      'p',
      { class: 'meta' },
      text(
        `Model ${modelFile} (${model.solver}${ridge ? `, ridge λ = ${formatNumber(model.ridge.lambda, 6)}` : ''}, fitted ${model.created}): `,
      ),
      el('code', {}, text(what)),
      el('br'),
      text(
        `Data: ${inputs.join(', ')} — ${data.rowsRead} rows read, ${data.n} used, ${data.rowsMissing} with a missing value; ${plural(data.units, 'unit')} on ${plural(data.workers, 'worker')}.`,
      ),
    ),
    el('h2', {}, text('Fit')),
    factTable(statisticsFacts(model)),
    el('h2', {}, text('Coefficients')),
    coefficientTable(model),
    el('h2', {}, text('Aliasing')),
    aliasingList(model),
    el('h2', {}, text('Plots')),
    el('div', { class: 'plots' }, ...plots),
    ...(data.leverage
      ? []
      : [
          el(
            'p',
            { class: 'note' },
            text(
              ridge
                ? "No leverage plot: a ridge model's hat matrix needs (XᵀWX + λD)⁻¹, which the model file does not store; standardized residuals are ẽ/σ̂."
                : 'No leverage plot: the model stores neither a triangular factor nor a covariance for it.',
            ),
          ),
        ]),
    el('h2', {}, text('Residuals')),
    factTable(residualFacts(data)),
    ...(data.influential.length === 0
      ? []
      : [
          el('h2', {}, text("Most influential rows (Cook's distance)")),
          influentialTable(data.influential, withFile),
        ]),
  ];
  return `<!DOCTYPE html>\n${el(
    'html',
    { lang: 'en' },
    el(
      'head',
      {},
      el('meta', { charset: 'utf-8' }),
      el('meta', { name: 'viewport', content: 'width=device-width, initial-scale=1' }),
      el('title', {}, text(`linreg report: ${model.target}`)),
      el('style', {}, STYLE),
    ),
    el('body', {}, ...body),
  )}\n`;
}
