/**
 * The ridge GCV curve the fit searched (the model's `gcv`): score against
 * log₁₀ λ, the chosen λ marked.
 */
import type { LinregModel } from '@linreg/core';
import { frame } from './frame.js';
import { el, text } from './svg.js';

export function gcvPlot(model: LinregModel): string | undefined {
  const gcv = model.gcv;
  if (gcv === null) return undefined;
  const pts = gcv.lambdas
    .map((l, i) => [Math.log10(l), gcv.scores[i] as number] as const)
    .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  if (pts.length === 0) return undefined;
  const xs = pts.map(([x]) => x);
  const ys = pts.map(([, y]) => y);
  const yLo = Math.min(...ys);
  const yHi = Math.max(...ys);
  const f = frame({
    id: 'gcv',
    title: 'Ridge: GCV score by λ',
    xLabel: 'log₁₀ λ',
    yLabel: 'GCV score',
    x: [Math.min(...xs), Math.max(...xs)],
    y: [yLo - (yHi - yLo) * 0.05, yHi + (yHi - yLo) * 0.05],
  });
  const curve = el('polyline', {
    class: 'curve',
    points: pts.map(([x, y]) => `${f.x(x).toFixed(2)},${f.y(y).toFixed(2)}`).join(' '),
  });
  const cx = f.x(Math.log10(gcv.chosen));
  const chosen = [
    el('line', { class: 'chosen', x1: cx, x2: cx, y1: f.area.top, y2: f.area.bottom }),
    el(
      'text',
      { class: 'label', x: cx + 4, y: f.area.top + 12 },
      text(`λ = ${gcv.chosen.toPrecision(4)}`),
    ),
  ];
  return f.render([
    curve,
    ...pts.map(([x, y]) => el('circle', { class: 'point', cx: f.x(x), cy: f.y(y), r: 1.6 })),
    ...chosen,
  ]);
}
