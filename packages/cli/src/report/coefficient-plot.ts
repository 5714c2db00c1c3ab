/**
 * Coefficients with their confidence intervals, one row each (the intercept
 * left out: its scale is usually another), at most MAX_ROWS rows in design
 * order; aliased or undefined intervals show the estimate alone.
 */
import type { LinregModel } from '@linreg/core';
import { frame } from './frame.js';
import { el, text } from './svg.js';

export const MAX_COEFFICIENT_ROWS = 40;
const ROW_HEIGHT = 18;

/** A name cut to `max` characters with an ellipsis. */
const shorten = (name: string, max: number): string =>
  name.length > max ? `${name.slice(0, max - 1)}…` : name;

export function coefficientPlot(model: LinregModel): string | undefined {
  const all = model.coefficients.filter(
    (c) => c.name !== '(Intercept)' && Number.isFinite(c.estimate),
  );
  if (all.length === 0) return undefined;
  const shown = all.slice(0, MAX_COEFFICIENT_ROWS);
  const values = shown.flatMap((c) => [c.estimate, c.ciLow, c.ciHigh]).filter(Number.isFinite);
  values.push(0);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = (hi - lo) * 0.05 || 1;
  const names = shown.map((c) => shorten(c.name, 24));
  const left = Math.min(190, 16 + 6.6 * Math.max(...names.map((n) => n.length)));
  const f = frame(
    {
      id: 'coefficients',
      title: `Coefficients and ${Math.round(model.level * 1000) / 10}% intervals${all.length > shown.length ? ` (first ${shown.length} of ${all.length})` : ''}`,
      xLabel: 'Estimate',
      yLabel: '',
      x: [lo - pad, hi + pad],
      y: [-0.5, shown.length - 0.5],
      left,
      height: 80 + ROW_HEIGHT * shown.length,
    },
    // The first coefficient at the top: row i sits at y = n − 1 − i.
    { values: shown.map((_, i) => shown.length - 1 - i), labels: names },
  );
  const zero = el('line', {
    class: 'ref',
    x1: f.x(0),
    x2: f.x(0),
    y1: f.area.top,
    y2: f.area.bottom,
  });
  const marks = shown.flatMap((c, i) => {
    const y = f.y(shown.length - 1 - i);
    const bar =
      Number.isFinite(c.ciLow) && Number.isFinite(c.ciHigh)
        ? [el('line', { class: 'interval', x1: f.x(c.ciLow), x2: f.x(c.ciHigh), y1: y, y2: y })]
        : [];
    return [
      ...bar,
      el(
        'circle',
        {
          class: c.aliased ? 'point estimate aliased' : 'point estimate',
          cx: f.x(c.estimate),
          cy: y,
          r: 3.5,
        },
        el('title', {}, text(`${c.name}: ${c.estimate}`)),
      ),
    ];
  });
  return f.render([zero, ...marks]);
}
