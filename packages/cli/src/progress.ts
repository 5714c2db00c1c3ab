/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal and
 * --quiet is off; otherwise nothing at all (logs and pipes stay clean).
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

/** The bar text for one progress event (no control characters). */
export function renderProgress(p: Progress): string {
  const fraction =
    p.bytesTotal > 0 ? p.bytes / p.bytesTotal : p.unitsTotal > 0 ? p.unitsDone / p.unitsTotal : 1;
  const filled = Math.round(Math.min(1, fraction) * BAR);
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR - filled)}`;
  return `${p.phase.padEnd(7)} [${bar}] ${p.unitsDone}/${p.unitsTotal} units  ${p.rows} rows  ${formatRate(p.rowsPerSecond)}  ETA ${formatDuration(p.etaMs)}`;
}

export interface ProgressDisplay {
  readonly onProgress: ((p: Progress) => void) | undefined;
  /** Erase the bar (call before printing results or an error). */
  done(): void;
}

export function createProgressDisplay(stderr: TextSink, quiet: boolean): ProgressDisplay {
  if (quiet || stderr.isTTY !== true) return { onProgress: undefined, done: () => {} };
  let drawn = false;
  let last = 0;
  return {
    onProgress(p: Progress): void {
      const now = performance.now();
      // Redraw at most 10 times a second, but always draw the final unit.
      if (p.unitsDone < p.unitsTotal && now - last < 100) return;
      last = now;
      drawn = true;
      stderr.write(`\r\x1b[2K${renderProgress(p)}`);
    },
    done(): void {
      if (drawn) stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}
