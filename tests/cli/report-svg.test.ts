/**
 * The report's SVG writer and axes (packages/cli/src/report/): escaping,
 * rounding, nice ticks and their labels, the data-to-pixel map, and a
 * density plot's marks — one rectangle per nonempty bin, placed on the grid.
 */
import { describe, expect, it } from 'vitest';
import { densityPlot } from '../../packages/cli/src/report/density-plot.js';
import { linearScale, niceTicks, padded, tickLabels } from '../../packages/cli/src/report/scale.js';
import { el, escapeText, px, text } from '../../packages/cli/src/report/svg.js';

describe('the SVG writer', () => {
  it('escapes text and attribute values', () => {
    expect(escapeText(`a<b&"c"'d'>`)).toBe('a&lt;b&amp;&quot;c&quot;&#39;d&#39;&gt;');
    expect(el('text', { class: 'x"y', x: 1.005 }, text('<&>'))).toBe(
      '<text class="x&quot;y" x="1">&lt;&amp;&gt;</text>',
    );
    expect(el('rect', { width: 2, height: undefined })).toBe('<rect width="2"/>');
  });

  it('rounds coordinates to 0.01 and writes −0 as 0', () => {
    expect(px(12.3456)).toBe('12.35');
    expect(px(-0.001)).toBe('0');
    expect(px(100)).toBe('100');
  });
});

describe('axes', () => {
  it('nice ticks on a 1–2–5 grid, without floating-point dust', () => {
    expect(niceTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6000000000000001, 0.8, 1]);
    expect(tickLabels(niceTicks(0, 1, 5))).toEqual(['0', '0.2', '0.4', '0.6', '0.8', '1']);
    expect(niceTicks(-23, 117, 6)).toEqual([-20, 0, 20, 40, 60, 80, 100]);
    // Each label reads back as its tick (1.5e-4 is not rounded to 1e-4 or 2e-4), in one notation.
    expect(tickLabels(niceTicks(0, 1.5e-4, 5))).toEqual(['0', '5e-5', '1e-4', '1.5e-4']);
    expect(tickLabels([2e6, 4e6])).toEqual(['2e+6', '4e+6']);
    expect(niceTicks(3, 3)).toEqual([3]);
  });

  it('tick labels tell neighbours apart with the fewest digits', () => {
    expect(tickLabels([1000.1, 1000.2, 1000.3])).toEqual(['1000.1', '1000.2', '1000.3']);
  });

  it('maps the domain onto the range, and widens a one-value domain', () => {
    const s = linearScale([0, 10], [50, 450]);
    expect(s(0)).toBe(50);
    expect(s(10)).toBe(450);
    expect(s(2.5)).toBe(150);
    const flat = linearScale([4, 4], [0, 100]);
    expect(flat.domain).toEqual([2, 6]);
    expect(flat(4)).toBe(50);
    expect(padded(0, 100)).toEqual([-4, 104]);
  });
});

describe('a density plot', () => {
  it('draws one rectangle per nonempty bin, shaded darker for more rows', () => {
    const bins = 4;
    const counts = new Float64Array(bins * bins);
    counts[0] = 1; // bottom-left
    counts[bins * bins - 1] = 1000; // top-right
    counts[5] = 10;
    const svg = densityPlot({
      id: 't',
      title: 'T',
      xLabel: 'x',
      yLabel: 'y',
      grid: { x: [0, 4], y: [0, 4], counts },
      bins,
      hline: 0,
    });
    const rects = [
      ...svg.matchAll(/<rect class="bin" x="([\d.]+)" y="([\d.]+)"[^>]*fill="(#[0-9a-f]{6})"/g),
    ];
    expect(rects).toHaveLength(3);
    const [low, mid, high] = rects.map((m) => ({
      x: Number(m[1]),
      y: Number(m[2]),
      fill: m[3] as string,
    }));
    // The bottom-left bin is left of and below the top-right one (SVG y grows downwards).
    expect(low?.x).toBeLessThan(high?.x as number);
    expect(low?.y).toBeGreaterThan(high?.y as number);
    const darkness = (hex: string) =>
      765 - [1, 3, 5].reduce((s, i) => s + Number.parseInt(hex.slice(i, i + 2), 16), 0);
    expect(darkness(low?.fill ?? '')).toBeLessThan(darkness(mid?.fill ?? ''));
    expect(darkness(mid?.fill ?? '')).toBeLessThan(darkness(high?.fill ?? ''));
    expect(svg).toContain('1000 rows');
    expect(svg).toContain('data-plot="t"');
  });
});
