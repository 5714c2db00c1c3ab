/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal and
 * --quiet is off; otherwise nothing at all (logs and pipes stay clean).
 *
 * The line never wraps: its parts are dropped, least useful first, until it
 * fits the terminal's width (then the phase and a percentage, cut to fit). A rate is shown
 * only after half a second of a pass, when it means something; SGD passes
 * show their epoch. A first line appears at once, before any unit is done.
 */
import type { Progress } from '@linreg/core';
import type { TextSink } from './context.js';

const BAR = 24;

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return '--:--';
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function formatRate(rowsPerSecond: number): string {
  if (rowsPerSecond >= 1e6) return `${(rowsPerSecond / 1e6).toFixed(1)}M rows/s`;
  if (rowsPerSecond >= 1e3) return `${(rowsPerSecond / 1e3).toFixed(1)}k rows/s`;
  return `${Math.round(rowsPerSecond)} rows/s`;
}

/** Before this much of a pass, rows/s is a ratio of tiny numbers: not shown. */
const RATE_AFTER_MS = 500;

/** The bar text for one progress event (no control characters), at most `width` columns. */
export function renderProgress(p: Progress, width = 80): string {
  const fraction =
    p.bytesTotal > 0 ? p.bytes / p.bytesTotal : p.unitsTotal > 0 ? p.unitsDone / p.unitsTotal : 1;
  const head = p.label === undefined ? p.phase : `${p.phase} ${p.label}`;
  const rate = p.elapsedMs >= RATE_AFTER_MS ? formatRate(p.rowsPerSecond) : undefined;
  // Parts in order of importance; the bar's width adapts last.
  const parts = [
    `${p.unitsDone}/${p.unitsTotal} units`,
    `ETA ${formatDuration(p.etaMs)}`,
    ...(rate === undefined ? [] : [rate]),
    `${p.rows} rows`,
  ];
  const max = Math.max(1, width - 1);
  for (let keep = parts.length; keep >= 0; keep--) {
    const tail = parts.slice(0, keep).join('  ');
    for (const barWidth of [BAR, 12, 6]) {
      const filled = Math.round(Math.min(1, fraction) * barWidth);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
      const line = [head, bar, tail].filter((x) => x !== '').join(' ');
      if (line.length <= max) return line;
    }
  }
  return `${head} ${Math.round(Math.min(1, fraction) * 100)}%`.slice(0, max);
}

export interface ProgressDisplay {
  readonly onProgress: ((p: Progress) => void) | undefined;
  /** Erase the bar (call before printing results or an error). */
  done(): void;
}

export function createProgressDisplay(stderr: TextSink, quiet: boolean): ProgressDisplay {
  if (quiet || stderr.isTTY !== true) return { onProgress: undefined, done: () => {} };
  const width = (): number => stderr.columns ?? 80;
  // Something on screen at once: planning and the first unit can take a while.
  stderr.write(`\r\x1b[2K${'starting…'.slice(0, Math.max(1, width() - 1))}`);
  let drawn = true;
  let last = 0;
  return {
    onProgress(p: Progress): void {
      const now = performance.now();
      // Redraw at most 10 times a second, but always draw the final unit.
      if (p.unitsDone < p.unitsTotal && now - last < 100) return;
      last = now;
      drawn = true;
      stderr.write(`\r\x1b[2K${renderProgress(p, width())}`);
    },
    done(): void {
      if (drawn) stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
