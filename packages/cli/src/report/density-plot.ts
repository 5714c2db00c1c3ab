/**
 * A binned density plot: one rectangle per nonempty bin of a B × B grid,
 * shaded by its count on a log scale, with a count legend. This is how
 * millions of rows are drawn: the page holds at most B² marks, never one
 * per row.
 */
import type { DensityGrid } from '@linreg/core';
import { densityShade, ramp } from './color.js';
import { type Frame, frame } from './frame.js';
import { padded } from './scale.js';
import { el, text } from './svg.js';

export interface DensitySpec {
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly grid: DensityGrid;
  readonly bins: number;
  /** A horizontal reference line (0 for residuals). */
  readonly hline?: number | undefined;
}

/** The bins as rectangles in `f`, and the largest count. */
export function densityMarks(
  f: Frame,
  grid: DensityGrid,
  bins: number,
): { marks: string[]; max: number } {
  const { counts } = grid;
  let max = 0;
  for (const c of counts) if (c > max) max = c;
  const [x0, x1] = f.x.domain;
  const [y0, y1] = f.y.domain;
  // The grid's own edges (its range, B bins), placed through the frame's scales.
  const gx0 = grid.x[1] > grid.x[0] ? grid.x[0] : x0;
  const gx1 = grid.x[1] > grid.x[0] ? grid.x[1] : x1;
  const gy0 = grid.y[1] > grid.y[0] ? grid.y[0] : y0;
  const gy1 = grid.y[1] > grid.y[0] ? grid.y[1] : y1;
  const dx = (gx1 - gx0) / bins;
  const dy = (gy1 - gy0) / bins;
  const marks: string[] = [];
  for (let j = 0; j < bins; j++) {
    for (let i = 0; i < bins; i++) {
      const c = counts[j * bins + i] as number;
      if (c === 0) continue;
      const left = f.x(gx0 + i * dx);
      const right = f.x(gx0 + (i + 1) * dx);
      const top = f.y(gy0 + (j + 1) * dy);
      const bottom = f.y(gy0 + j * dy);
      marks.push(
        el(
          'rect',
          {
            class: 'bin',
            x: left,
            y: top,
            width: Math.max(0.5, right - left),
            height: Math.max(0.5, bottom - top),
            fill: ramp(densityShade(c, max)),
          },
          el('title', {}, text(`${c} rows`)),
        ),
      );
    }
  }
  return { marks, max };
}

/** A horizontal legend of the colour ramp (1 … max rows) in the top margin, right of the title. */
export function densityLegend(f: Frame, max: number): string[] {
  const width = 64;
  const label = `${max} rows`;
  // 10px labels are about 5.6px a character.
  const right = f.area.right - 4 - 5.6 * label.length;
  const left = right - width;
  const steps = 16;
  const out: string[] = [];
  for (let k = 0; k < steps; k++) {
    out.push(
      el('rect', {
        class: 'legend',
        x: left + (width * k) / steps,
        y: 11,
        width: width / steps + 0.5,
        height: 9,
        fill: ramp(k / (steps - 1)),
      }),
    );
  }
  out.push(el('text', { class: 'legend-label', x: left - 4, y: 19, 'text-anchor': 'end' }, '1'));
  out.push(el('text', { class: 'legend-label', x: right + 4, y: 19 }, text(label)));
  return out;
}

export function densityPlot(spec: DensitySpec): string {
  const f = frame({ ...spec, x: padded(...spec.grid.x), y: padded(...spec.grid.y) });
  const { marks, max } = densityMarks(f, spec.grid, spec.bins);
  const ref =
    spec.hline === undefined
      ? []
      : [
          el('line', {
            class: 'ref',
            x1: f.area.left,
            x2: f.area.right,
            y1: f.y(spec.hline),
            y2: f.y(spec.hline),
          }),
        ];
  return f.render([...marks, ...ref], densityLegend(f, max));
}
