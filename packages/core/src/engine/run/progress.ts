/**
 * Progress of a pass over the units, reported after each unit is merged.
 * Rates and ETA are computed from bytes when the plan knows unit sizes
 * (Parquet/Arrow/CSV all do), else from units.
 */

/**
 * 'sgd' covers every pass of an SGD fit (statistics, epochs, evaluation), one bar per pass;
 * 'residuals' is the pass at the final β for robust standard errors (`se`) and
 * residual diagnostics (`diagnostics`), one pass for both.
 */
export type Phase = 'levels' | 'read' | 'refine' | 'residuals' | 'predict' | 'sgd';

export interface Progress {
  readonly phase: Phase;
  /** What the pass is within its phase, when there is more than one: `epoch 3 of 20`. */
  readonly label?: string | undefined;
  readonly unitsDone: number;
  readonly unitsTotal: number;
  readonly rows: number;
  readonly bytes: number;
  readonly bytesTotal: number;
  readonly elapsedMs: number;
  readonly rowsPerSecond: number;
  /** Estimated milliseconds left in this pass (NaN until the first unit is done). */
  readonly etaMs: number;
}

export class ProgressTracker {
  readonly #phase: Phase;
  readonly #unitsTotal: number;
  readonly #bytesTotal: number;
  readonly #start: number;
  readonly #listener: ((p: Progress) => void) | undefined;
  readonly #label: string | undefined;
  #units = 0;
  #rows = 0;
  #bytes = 0;

  constructor(
    phase: Phase,
    unitsTotal: number,
    bytesTotal: number,
    listener: ((p: Progress) => void) | undefined,
    label?: string,
  ) {
    this.#phase = phase;
    this.#label = label;
    this.#unitsTotal = unitsTotal;
    this.#bytesTotal = bytesTotal;
    this.#listener = listener;
    this.#start = performance.now();
  }

  unitDone(rows: number, bytes: number): void {
    this.#units += 1;
    this.#rows += rows;
    this.#bytes += bytes;
    this.#listener?.(this.snapshot());
  }

  snapshot(): Progress {
    const elapsedMs = performance.now() - this.#start;
    const fraction =
      this.#bytesTotal > 0
        ? this.#bytes / this.#bytesTotal
        : this.#unitsTotal > 0
          ? this.#units / this.#unitsTotal
          : 1;
    return {
      phase: this.#phase,
      ...(this.#label === undefined ? {} : { label: this.#label }),
      unitsDone: this.#units,
      unitsTotal: this.#unitsTotal,
      rows: this.#rows,
      bytes: this.#bytes,
      bytesTotal: this.#bytesTotal,
      elapsedMs,
      rowsPerSecond: elapsedMs > 0 ? (this.#rows * 1000) / elapsedMs : 0,
      etaMs: fraction > 0 ? (elapsedMs * (1 - fraction)) / fraction : Number.NaN,
    };
  }
}
