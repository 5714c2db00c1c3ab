/** The report's stylesheet, inlined in the page (no external resources). */
export const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2733; margin: 24px auto; max-width: 1010px; padding: 0 16px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #d8dee6; padding-bottom: 4px; }
p.meta { color: #4a5868; margin: 0 0 12px; }
table { border-collapse: collapse; margin: 6px 0; }
th, td { padding: 3px 10px; text-align: left; border-bottom: 1px solid #eef1f4; }
thead th { border-bottom: 1px solid #b9c3cf; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.name, code { font-family: ui-monospace, Menlo, Consolas, monospace; }
tr.aliased td { color: #8a4b00; }
table.facts th { font-weight: 500; color: #4a5868; }
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(480px, 1fr)); gap: 12px; }
figure { margin: 0; }
figcaption { color: #4a5868; font-size: 12.5px; max-width: 470px; }
svg { background: #fff; display: block; }
svg .grid { stroke: #edf0f3; stroke-width: 1; }
svg .axis { stroke: #54616f; stroke-width: 1; }
svg .tick { font-size: 11px; fill: #3b4754; }
svg .axis-title { font-size: 12px; fill: #1d2733; }
svg .plot-title { font-size: 14px; font-weight: 600; fill: #1d2733; }
svg .ref { stroke: #c0392b; stroke-width: 1.2; stroke-dasharray: 4 3; }
svg .contour { fill: none; stroke: #7f8c8d; stroke-width: 1; stroke-dasharray: 3 3; }
svg .point { fill: #1f5fa8; fill-opacity: 0.8; }
svg .influential { fill: #c0392b; stroke: #fff; stroke-width: 1; }
svg .aliased { fill: #e67e22; }
svg .interval { stroke: #1f5fa8; stroke-width: 2; }
svg .label { font-size: 11px; fill: #8e2318; }
svg .legend-label { font-size: 10px; fill: #3b4754; }
svg .curve { fill: none; stroke: #1f5fa8; stroke-width: 1.6; }
svg .chosen { stroke: #c0392b; stroke-width: 1.2; }
`;
