/**
 * The data of a diagnostics report (`linreg report`): two streaming passes
 * over the data with a saved model, in parallel, merged in unit order.
 *
 * 1. `report-ranges`: the extremes of ŷ, e, √|s|, s and h (report-ranges.ts).
 * 2. `report-bins`: three B × B density grids over those ranges, the k rows of
 *    largest Cook's distance (report-bins.ts), and the residual diagnostics
 *    state (numerics/diagnostics), whose log-bucket sketch gives the
 *    quantiles of ẽ for the normal Q–Q plot — each within
 *    max(10⁻³·|x|, 10⁻⁸·√(RSS/n)) of the exact order statistic — and whose
 *    moments give skewness, kurtosis and Jarque–Bera.
 *
 * Both passes compute each row's values the same way (report-rows.ts), so
 * the bins and the top k are identical for any number of workers or units.
 * The data need the target and every column the model reads (its weights
 * column too); the rows used are the rows a fit would use (a missing value
 * drops the row).
 */
import { IoError, SpecError } from '@linreg/errors';
import { type Plan, STDIN, selectColumns } from '@linreg/io';
import type { LinregModel } from '../../model/model.js';
import { modelJsonForTask } from '../../model/model-json.js';
import {
  type DiagnosticsSpec,
  type DiagnosticsState,
  deserializeDiagnosticsState,
  diagnosticsSums,
  mergeDiagnosticsStates,
} from '../../numerics/diagnostics/index.js';
import {
  normalQuantile,
  type ResidualDiagnostics,
  residualDiagnostics,
  sketchQuantile,
} from '../../numerics/inference/index.js';
import { unitFirstRows } from '../../numerics/top/index.js';
import { type ReportSpec, resolveReportSpec } from '../../options/index.js';
import { checkInputs } from '../model-design.js';
import type { WorkerPool } from '../pool.js';
import { type PassContext, reducePass, runPass } from '../run/pass.js';
import type { Progress } from '../run/progress.js';
import { UnitOrderReducer } from '../run/reduce.js';
import { openFileSource } from '../source/file-source.js';
import type { DesignRead } from '../tasks/protocol.js';
import { binnedRows, type GridName, gridCounts, mergeBins, topEntries } from './report-bins.js';
import {
  createRanges,
  mergeRanges,
  R_FIT_HI,
  R_FIT_LO,
  R_HAT_HI,
  R_RES_HI,
  R_RES_LO,
  R_ROOT_HI,
  R_STD_HI,
  R_STD_LO,
} from './report-ranges.js';
import { hasLeverage } from './report-rows.js';

export interface ReportFilesOptions extends ReportSpec {
  readonly signal?: AbortSignal | undefined;
  readonly onProgress?: ((p: Progress) => void) | undefined;
  readonly pool?: WorkerPool | undefined;
}

const RUN_OPTIONS = ['signal', 'onProgress', 'pool'] as const;

/** Most points of the Q–Q plot (the sample's extremes always included). */
export const QQ_POINTS = 400;

/** A binned density: counts of `bins` × `bins` cells, y bin · bins + x bin. */
export interface DensityGrid {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
  readonly counts: Float64Array;
}

/** A row of large Cook's distance, placed in its file. */
export interface InfluentialRow {
  readonly file: string;
  /** 1-based data row in its file (header not counted), rows with missing values included. */
  readonly row: number;
  readonly cook: number;
  readonly fitted: number;
  readonly residual: number;
  readonly leverage: number;
  readonly standardized: number;
}

export interface ReportData {
  /** Rows binned: used rows of positive weight. */
  readonly n: number;
  readonly rowsRead: number;
  readonly rowsMissing: number;
  readonly bins: number;
  /** False for ridge (and SGD without a checked solution): no leverage, no Cook's distance. */
  readonly leverage: boolean;
  readonly residualFitted: DensityGrid;
  readonly scaleLocation: DensityGrid;
  /** Absent without a leverage. */
  readonly residualLeverage?: DensityGrid | undefined;
  readonly influential: readonly InfluentialRow[];
  /** Normal Q–Q of ẽ/σ̂: theoretical N(0, 1) quantiles and the sample's. */
  readonly qq: { readonly theoretical: Float64Array; readonly sample: Float64Array };
  /** Moments and quartiles of ẽ (Breusch–Pagan left out: NaN). */
  readonly diagnostics: ResidualDiagnostics;
  readonly units: number;
  readonly workers: number;
  readonly seconds: number;
}

export async function reportFiles(
  model: LinregModel,
  inputs: readonly string[],
  options: ReportFilesOptions = {},
): Promise<ReportData> {
  const started = performance.now();
  const o = resolveReportSpec(options, model, RUN_OPTIONS);
  if (inputs.includes(STDIN)) {
    throw new SpecError('inputs', 'a report reads the data twice: standard input is not supported');
  }
  if (model.where !== undefined) {
    throw new SpecError(
      'model',
      `the model was fit with --where '${model.where}': a report of a filtered fit is not supported`,
    );
  }
  const source = await openFileSource(inputs, {
    format: o.format,
    workers: o.workers,
    pool: options.pool,
  });
  try {
    const timestamps = o.timestamps || model.timestamps === true;
    const read = reportRead(model, source.plan, timestamps);
    const ctx: PassContext = {
      source,
      batchRows: o.batchRows,
      signal: options.signal,
      onProgress: options.onProgress,
    };
    const modelJson = modelJsonForTask(model);
    const first = await reducePass(
      ctx,
      { kind: 'report-ranges', args: { read, modelJson }, phase: 'residuals', label: 'ranges' },
      (state: Float64Array) => state,
      mergeRanges,
    );
    const ranges = first.state ?? createRanges();
    const diagnosticsSpec = diagnosticsSpecOf(model);
    const binsReducer = new UnitOrderReducer<Float64Array>(mergeBins);
    const diagReducer = new UnitOrderReducer<DiagnosticsState>(mergeDiagnosticsStates);
    const unitRows = new Array<number>(source.units.length).fill(0);
    const counts = await runPass(
      ctx,
      {
        kind: 'report-bins',
        args: { read, modelJson, ranges, bins: o.bins, top: o.top, diagnostics: diagnosticsSpec },
        phase: 'residuals',
        label: 'bins',
      },
      (index, output, c) => {
        unitRows[index] = c.rowsRead;
        binsReducer.add(index, output.bins);
        diagReducer.add(index, deserializeDiagnosticsState(output.diagnostics));
      },
    );
    const bins = binsReducer.finish(source.units.length);
    const diag = diagReducer.finish(source.units.length);
    const n = bins === undefined ? 0 : binnedRows(bins);
    if (bins === undefined || diag === undefined || n === 0) {
      throw new IoError(
        'empty',
        { file: inputs[0] ?? '(no input)' },
        `no row to report on: ${counts.rowsRead} read, every one with a missing value`,
      );
    }
    // First row of each unit in its file: the rows of the file's earlier units.
    const unitStart = unitFirstRows(
      source.units.map((u) => u.file),
      unitRows,
    );
    const influential = topEntries(bins).map((e): InfluentialRow => {
      const unit = source.units[e.unit];
      return {
        file: unit?.file ?? '',
        row: (unitStart[e.unit] ?? 0) + e.row + 1,
        cook: e.cook,
        fitted: e.fitted,
        residual: e.residual,
        leverage: e.hat,
        standardized: e.standardized,
      };
    });
    const leverage = hasLeverage(model);
    const grid = (name: GridName, x: [number, number], y: [number, number]): DensityGrid => ({
      x,
      y,
      counts: Float64Array.from(gridCounts(bins, name)),
    });
    const fit: [number, number] = [ranges[R_FIT_LO] as number, ranges[R_FIT_HI] as number];
    return {
      n,
      rowsRead: counts.rowsRead,
      rowsMissing: counts.rowsDropped,
      bins: o.bins,
      leverage,
      residualFitted: grid('residualFitted', fit, [
        ranges[R_RES_LO] as number,
        ranges[R_RES_HI] as number,
      ]),
      scaleLocation: grid('scaleLocation', fit, [0, ranges[R_ROOT_HI] as number]),
      residualLeverage: leverage
        ? grid(
            'residualLeverage',
            [0, ranges[R_HAT_HI] as number],
            [ranges[R_STD_LO] as number, ranges[R_STD_HI] as number],
          )
        : undefined,
      influential,
      qq: qqPoints(diag, model.statistics.sigma),
      diagnostics: {
        // Breusch–Pagan needs R_K, which a report does not have: the identity stands in, and the fields are blanked.
        ...residualDiagnostics(diag, identity(diagnosticsSpec.kept.length)),
        breuschPagan: Number.NaN,
        breuschPaganDf: Number.NaN,
        breuschPaganP: Number.NaN,
      },
      units: source.units.length,
      workers: source.workers,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await source.close();
  }
}

/** The diagnostics pass at the model's β: identified columns, shift RSS/n. */
function diagnosticsSpecOf(model: LinregModel): DiagnosticsSpec {
  const kept: number[] = [];
  model.coefficients.forEach((c, j) => {
    if (!c.aliased) kept.push(j);
  });
  const shift = model.statistics.rss / model.rows.positiveWeight;
  return {
    p: model.features.length,
    intercept: model.intercept,
    beta: Float64Array.from(model.coefficients, (c) => (Number.isNaN(c.estimate) ? 0 : c.estimate)),
    kept,
    shift: Number.isFinite(shift) ? shift : 0,
  };
}

function identity(q: number): Float64Array {
  const a = new Float64Array(q * q);
  for (let i = 0; i < q; i++) a[i * q + i] = 1;
  return a;
}

/**
 * R's `qqnorm` on ẽ/σ̂ thinned to at most QQ_POINTS: plotting positions
 * pᵢ = (i − ½)/N (R's ppoints for N > 10) against the sample's pᵢ-quantile
 * from the sketch; the two extremes are the exact min and max at ½/n and
 * 1 − ½/n.
 */
function qqPoints(
  state: DiagnosticsState,
  sigma: number,
): { theoretical: Float64Array; sample: Float64Array } {
  const s = diagnosticsSums(state);
  const n = s.n;
  const inner = Math.max(0, Math.min(QQ_POINTS, n) - 2);
  const theoretical = new Float64Array(inner + 2);
  const sample = new Float64Array(inner + 2);
  const scale = sigma > 0 ? sigma : 1;
  theoretical[0] = normalQuantile(0.5 / n);
  sample[0] = s.min / scale;
  for (let i = 1; i <= inner; i++) {
    const p = (i + 0.5) / (inner + 2);
    theoretical[i] = normalQuantile(p);
    sample[i] = sketchQuantile(s, p) / scale;
  }
  theoretical[inner + 1] = normalQuantile(1 - 0.5 / n);
  sample[inner + 1] = s.max / scale;
  return { theoretical, sample };
}

/** What the passes read: a formula model's whole program (response and weights), or its columns. */
function reportRead(model: LinregModel, plan: Plan, timestamps: boolean): DesignRead {
  if (model.terms !== undefined) {
    checkInputs(plan, model.terms, timestamps);
    return {
      columns: {
        features: model.features,
        target: model.target,
        ...(model.weights === null ? {} : { weights: model.weights }),
      },
      missing: 'drop',
      program: model.terms,
    };
  }
  const selected = selectColumns(plan, {
    target: model.target,
    features: model.features,
    ...(model.weights === null ? {} : { weights: model.weights }),
    temporal: timestamps,
  });
  return {
    columns: {
      features: selected.features,
      target: selected.target,
      ...(selected.weights === undefined ? {} : { weights: selected.weights }),
    },
    missing: 'drop',
  };
}
