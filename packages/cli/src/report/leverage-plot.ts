/**
 * Residuals vs leverage (R's `plot.lm` which = 5): the density of (h, s),
 * Cook's distance contours D = 0.5 and 1 (s = ±√(D·rank·(1 − h)/h)), and the
 * k rows of largest D as labelled points.
 */
import type { DensityGrid, InfluentialRow } from '@linreg/core';
import { densityLegend, densityMarks } from './density-plot.js';
import { frame } from './frame.js';
import { padded } from './scale.js';
import { el, text } from './svg.js';

export interface LeverageSpec {
  readonly grid: DensityGrid;
  readonly bins: number;
  readonly rank: number;
  readonly influential: readonly InfluentialRow[];
  /** Label rows with their file (several input files). */
  readonly withFile: boolean;
}

export const rowLabel = (r: InfluentialRow, withFile: boolean): string =>
  withFile ? `${r.file.split('/').pop() ?? r.file}:${r.row}` : `row ${r.row}`;

export function leveragePlot(spec: LeverageSpec): string {
  const f = frame({
    id: 'leverage',
    title: 'Residuals vs leverage',
    xLabel: 'Leverage h',
    yLabel: 'Standardized residuals',
    x: padded(...spec.grid.x),
    y: padded(...spec.grid.y),
  });
  const { marks, max } = densityMarks(f, spec.grid, spec.bins);
  const [h0, h1] = f.x.domain;
  const contours: string[] = [];
  for (const d of [0.5, 1]) {
    for (const sign of [1, -1]) {
      const pts: string[] = [];
      for (let k = 1; k <= 60; k++) {
        const h = Math.max(h0, 0) + ((h1 - Math.max(h0, 0)) * k) / 60;
        if (!(h > 0 && h < 1)) continue;
        const s = sign * Math.sqrt((d * spec.rank * (1 - h)) / h);
        pts.push(`${f.x(h).toFixed(2)},${f.y(s).toFixed(2)}`);
      }
      if (pts.length > 1) {
        contours.push(el('polyline', { class: 'contour', points: pts.join(' ') }));
      }
    }
  }
  const zero = el('line', {
    class: 'ref',
    x1: f.area.left,
    x2: f.area.right,
    y1: f.y(0),
    y2: f.y(0),
  });
  const placed: Box[] = [];
  const points = spec.influential.flatMap((r) => {
    const cx = f.x(r.leverage);
    const cy = f.y(r.standardized);
    const label = rowLabel(r, spec.withFile);
    const at = placeLabel(cx, cy, label.length * 6.2, placed, f.area);
    return [
      el('circle', { class: 'point influential', cx, cy, r: 3.5 }),
      el('text', { class: 'label', x: at.x, y: at.y + 9 }, text(label)),
    ];
  });
  return f.render([...marks, zero, ...contours, ...points], densityLegend(f, max));
}

interface Box {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

/**
 * Where a label of width w goes next to the point (cx, cy): the first of
 * eight places around it that stays in the plotting area and overlaps no
 * label placed before (the first place when none is free). Returns the
 * label's top-left corner and records its box.
 */
function placeLabel(
  cx: number,
  cy: number,
  w: number,
  placed: Box[],
  area: { left: number; right: number; top: number; bottom: number },
): Box {
  const h = 11;
  const candidates: Box[] = [
    { x: cx + 5, y: cy - h - 3, w, h },
    { x: cx - w - 5, y: cy - h - 3, w, h },
    { x: cx + 5, y: cy + 3, w, h },
    { x: cx - w - 5, y: cy + 3, w, h },
    { x: cx + 6, y: cy - h / 2, w, h },
    { x: cx - w - 6, y: cy - h / 2, w, h },
    { x: cx - w / 2, y: cy - 2 * h - 4, w, h },
    { x: cx - w / 2, y: cy + h + 4, w, h },
  ];
  const inside = (b: Box): boolean =>
    b.x >= area.left && b.x + b.w <= area.right && b.y >= area.top && b.y + b.h <= area.bottom;
  const free = (b: Box): boolean =>
    placed.every(
      (p) => b.x + b.w <= p.x || p.x + p.w <= b.x || b.y + b.h <= p.y || p.y + p.h <= b.y,
    );
  const chosen =
    candidates.find((b) => inside(b) && free(b)) ??
    candidates.find(inside) ??
    (candidates[0] as Box);
  placed.push(chosen);
  return chosen;
}
