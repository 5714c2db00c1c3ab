/**
 * The normal Q–Q plot of the standardized residuals ẽ/σ̂: the sample's
 * quantiles (from the diagnostics pass's sketch, the extremes exact) against
 * N(0, 1)'s, with the line y = x a normal sample would follow.
 */
import type { ReportData } from '@linreg/core';
import { frame } from './frame.js';
import { padded } from './scale.js';
import { el } from './svg.js';

export function qqPlot(qq: ReportData['qq']): string {
  const xs = Array.from(qq.theoretical).filter(Number.isFinite);
  const ys = Array.from(qq.sample).filter(Number.isFinite);
  const x = padded(Math.min(...xs), Math.max(...xs));
  const y = padded(Math.min(...ys), Math.max(...ys));
  const f = frame({
    id: 'qq',
    title: 'Normal Q–Q',
    xLabel: 'Theoretical quantiles (N(0, 1))',
    yLabel: 'Residual quantiles ẽ / σ̂',
    x,
    y,
  });
  // y = x across the plot, clipped to the area.
  const lo = Math.min(x[0], y[0]);
  const hi = Math.max(x[1], y[1]);
  const line = el('line', { class: 'ref', x1: f.x(lo), y1: f.y(lo), x2: f.x(hi), y2: f.y(hi) });
  const points = Array.from(qq.theoretical, (t, i) =>
    el('circle', { class: 'point', cx: f.x(t), cy: f.y(qq.sample[i] as number), r: 2.2 }),
  );
  return f.render([line, ...points]);
}
