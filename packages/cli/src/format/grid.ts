/** A text grid with a left-aligned first column and right-aligned others, as R prints matrices. */
export interface GridOptions {
  /** Columns (by index) to left-align instead of right-align. */
  readonly leftAligned?: readonly number[];
}

export function renderGrid(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: GridOptions = {},
): string[] {
  const left = new Set([0, ...(options.leftAligned ?? [])]);
  const widths = header.map((h, j) => Math.max(h.length, ...rows.map((r) => (r[j] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    widths
      .map((w, j) => {
        const cell = cells[j] ?? '';
        return left.has(j) ? cell.padEnd(w) : cell.padStart(w);
      })
      .join(' ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}
