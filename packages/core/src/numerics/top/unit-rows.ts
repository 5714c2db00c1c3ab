/**
 * Where each unit's rows start in its file: the rows read by the file's
 * earlier units (units are consecutive pieces of their file, in order). A
 * listed row (unit u, row r within the unit as read) is then data row
 * start[u] + r + 1 of its file. Shared by `linreg report` and the
 * diagnostics' top rows.
 */
export function unitFirstRows(unitFiles: readonly string[], rowsRead: ArrayLike<number>): number[] {
  const start: number[] = [];
  const seen = new Map<string, number>();
  unitFiles.forEach((file, u) => {
    const before = seen.get(file) ?? 0;
    start.push(before);
    seen.set(file, before + (rowsRead[u] ?? 0));
  });
  return start;
}
