/**
 * The normal Q–Q plot of the standardized residuals ẽ/σ̂: the sample's
 * quantiles (from the diagnostics pass's sketch, the extremes exact) against
 * N(0, 1)'s, with the line y = x a normal sample would follow.
 */
import type { ReportData } from '@linreg/core';
import { frame } from './frame.js';
import { el } from './svg.js';

export function qqPlot(qq: ReportData['qq']): string {
  const all = [...qq.theoretical, ...qq.sample].filter(Number.isFinite);
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = (hi - lo) * 0.03;
  const f = frame({
    id: 'qq',
    title: 'Normal Q–Q',
    xLabel: 'Theoretical quantiles (N(0, 1))',
    yLabel: 'Residual quantiles ẽ / σ̂',
    x: [lo - pad, hi + pad],
    y: [lo - pad, hi + pad],
  });
  const line = el('line', {
    class: 'ref',
    x1: f.x(lo - pad),
    y1: f.y(lo - pad),
    x2: f.x(hi + pad),
    y2: f.y(hi + pad),
  });
  const points = Array.from(qq.theoretical, (t, i) =>
    el('circle', { class: 'point', cx: f.x(t), cy: f.y(qq.sample[i] as number), r: 2.2 }),
  );
  return f.render([line, ...points]);
}
