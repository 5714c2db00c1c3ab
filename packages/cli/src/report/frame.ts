/**
 * One plot's frame: the SVG element with its title, the plotting area, both
 * axes with ticks, tick labels and grid lines, and the axis titles. Plots
 * draw their marks inside with the frame's scales.
 */
import { linearScale, niceTicks, type Scale, tickLabels } from './scale.js';
import { el, text } from './svg.js';

export const PLOT_WIDTH = 480;
export const PLOT_HEIGHT = 340;
const MARGIN = { top: 34, right: 16, bottom: 46, left: 62 } as const;

export interface FrameSpec {
  /** `data-plot` name, for tests and styling. */
  readonly id: string;
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  /** Left margin for long tick labels (the coefficient plot's names). */
  readonly left?: number;
  /** Height in pixels (default PLOT_HEIGHT). */
  readonly height?: number;
}

export interface Frame {
  readonly x: Scale;
  readonly y: Scale;
  /** The plotting area in pixels. */
  readonly area: {
    readonly left: number;
    readonly right: number;
    readonly top: number;
    readonly bottom: number;
  };
  /** The whole SVG with `marks` drawn over the grid, clipped to the area. */
  render(marks: readonly string[], overlay?: readonly string[]): string;
}

export function frame(spec: FrameSpec, yTicks?: { values: number[]; labels: string[] }): Frame {
  const left = spec.left ?? MARGIN.left;
  const height = spec.height ?? PLOT_HEIGHT;
  const area = {
    left,
    right: PLOT_WIDTH - MARGIN.right,
    top: MARGIN.top,
    bottom: height - MARGIN.bottom,
  };
  const x = linearScale(spec.x, [area.left, area.right]);
  const y = linearScale(spec.y, [area.bottom, area.top]);
  const render = (marks: readonly string[], overlay: readonly string[] = []): string => {
    const clip = `clip-${spec.id}`;
    const xt = niceTicks(x.domain[0], x.domain[1], 6);
    const xl = tickLabels(xt);
    const yt = yTicks?.values ?? niceTicks(y.domain[0], y.domain[1], 5);
    const yl = yTicks?.labels ?? tickLabels(yt);
    const grid = [
      ...xt.map((t) =>
        el('line', { class: 'grid', x1: x(t), x2: x(t), y1: area.top, y2: area.bottom }),
      ),
      ...yt.map((t) =>
        el('line', { class: 'grid', x1: area.left, x2: area.right, y1: y(t), y2: y(t) }),
      ),
    ];
    const axes = [
      el('line', {
        class: 'axis',
        x1: area.left,
        x2: area.right,
        y1: area.bottom,
        y2: area.bottom,
      }),
      el('line', { class: 'axis', x1: area.left, x2: area.left, y1: area.top, y2: area.bottom }),
      ...xt.map((t, i) =>
        el(
          'text',
          { class: 'tick', x: x(t), y: area.bottom + 16, 'text-anchor': 'middle' },
          text(xl[i] ?? ''),
        ),
      ),
      ...yt.map((t, i) =>
        el(
          'text',
          { class: 'tick', x: area.left - 6, y: y(t) + 4, 'text-anchor': 'end' },
          text(yl[i] ?? ''),
        ),
      ),
      el(
        'text',
        {
          class: 'axis-title',
          x: (area.left + area.right) / 2,
          y: height - 8,
          'text-anchor': 'middle',
        },
        text(spec.xLabel),
      ),
      el(
        'text',
        {
          class: 'axis-title',
          x: 14,
          y: (area.top + area.bottom) / 2,
          'text-anchor': 'middle',
          transform: `rotate(-90 14 ${(area.top + area.bottom) / 2})`,
        },
        text(spec.yLabel),
      ),
      el('text', { class: 'plot-title', x: area.left, y: 20 }, text(spec.title)),
    ];
    return el(
      'svg',
      {
        viewBox: `0 0 ${PLOT_WIDTH} ${height}`,
        width: PLOT_WIDTH,
        height,
        role: 'img',
        'aria-label': spec.title,
        'data-plot': spec.id,
      },
      el('title', {}, text(spec.title)),
      el(
        'defs',
        {},
        el(
          'clipPath',
          { id: clip },
          el('rect', {
            x: area.left,
            y: area.top,
            width: area.right - area.left,
            height: area.bottom - area.top,
          }),
        ),
      ),
      ...grid,
      el('g', { 'clip-path': `url(#${clip})` }, ...marks),
      ...axes,
      ...overlay,
    );
  };
  return { x, y, area, render };
}
