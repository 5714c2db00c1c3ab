/**
 * From the merged factor to the model: solve, optionally refine through extra
 * passes over the data, take one pass at the final β when robust standard
 * errors (`se`) or residual diagnostics (`diagnostics`) are asked for,
 * compute inference, and assemble the model, whatever the source.
 */

import { FitError } from '@linreg/errors';
import type { DesignProgram } from '../../formula/program.js';
import { buildModel } from '../../model/build-model.js';
import type { LinregModel } from '../../model/model.js';
import { termAnova } from '../../model/term-anova.js';
import {
  createDiagnosticsState,
  type DiagnosticsSpec,
  type DiagnosticsState,
  placeTopRows,
  type TopRowsSpec,
} from '../../numerics/diagnostics/index.js';
import {
  clusterCovariance,
  computeInference,
  type ResidualDiagnostics,
  type RobustCovariance,
  residualDiagnostics,
  robustCovariance,
} from '../../numerics/inference/index.js';
import {
  type ClusterSpec,
  type ClusterState,
  createMeatState,
  emptyClusterState,
  HIGH_LEVERAGE,
  identifiedColumns,
  identifiedFactor,
  type MeatSpec,
  type MeatState,
  meatSpecOf,
} from '../../numerics/meat/index.js';
import {
  continueRefinement,
  type RefinePassOptions,
  type RefineState,
  refinementPlan,
} from '../../numerics/refine/index.js';
import type { Solution } from '../../numerics/solve/index.js';
import { completeSolve, solveCoefficients } from '../../numerics/solve/index.js';
import type { TriangularFactor } from '../../numerics/types.js';
import type { RouteSpec } from '../fit-types.js';
import { solveOptionsOf } from '../projection.js';

/** At most this many refinement passes; each is a full read of the data. */
export const MAX_REFINE_PASSES = 2;

export interface RowCounts {
  readonly read: number;
  readonly used: number;
  readonly dropped: number;
}

/** The merged states of the residual pass, one per statistic asked for. */
export interface ResidualStates {
  readonly meat?: MeatState | undefined;
  readonly diagnostics?: DiagnosticsState | undefined;
  readonly cluster?: ClusterState | undefined;
  /** The diagnostics' top rows (numerics/diagnostics/top-rows.ts). */
  readonly top?: Float64Array | undefined;
}

export interface FinishInput {
  readonly spec: RouteSpec;
  /** The target's name (a formula's response as R prints it, e.g. `log(y)`). */
  readonly target: string;
  readonly features: readonly string[];
  /** A formula's program, recorded in the model so predict rebuilds the design. */
  readonly terms?: DesignProgram | undefined;
  readonly factor: TriangularFactor;
  readonly rows: RowCounts;
  /** Runs one refinement pass at β and returns the merged residual state; undefined when the data cannot be re-read. */
  readonly refinePass:
    | ((beta: Float64Array, options: RefinePassOptions) => Promise<RefineState>)
    | undefined;
  /**
   * Runs the pass at the final β for what is asked (the robust-SE meat when
   * `spec.se` ≠ classical, the residual diagnostics when `spec.diagnostics`);
   * returns the merged states (absent with no units).
   */
  readonly residualPass?:
    | ((args: {
        meat?: MeatSpec;
        diagnostics?: DiagnosticsSpec;
        cluster?: ClusterSpec;
        top?: TopRowsSpec;
      }) => Promise<ResidualStates>)
    | undefined;
  /** The file of each unit of the source, in unit order: places the diagnostics' top rows. */
  readonly unitFiles?: readonly string[] | undefined;
  readonly warnings?: readonly string[];
  /** The warning when refinement is wanted but `refinePass` is undefined (default: stdin's). */
  readonly refineSkipped?: string | undefined;
}

export interface Finished {
  readonly model: LinregModel;
  readonly solution: Solution;
  readonly passes: number;
}

export async function finishFit(input: FinishInput): Promise<Finished> {
  const { spec, factor } = input;
  if (factor.rowsPositiveWeight === 0) {
    throw new FitError(
      `no usable rows: ${input.rows.read} read, ${input.rows.dropped} dropped for missing values` +
        (spec.weights === undefined ? '' : ', or every weight is zero'),
    );
  }
  const part = solveCoefficients(
    factor,
    solveOptionsOf(spec.aliased, spec.ridge, spec.standardize),
  );
  const plan = spec.refine === 'off' ? undefined : refinementPlan(factor, part, spec.refine);
  // The first refinement pass needs only β: its tasks go to the workers now
  // (reducePass → the pool's run() posts them before returning), and the rest
  // of the solve — the covariance at p = 1,000, the prediction factor, the raw
  // condition number, the VIFs — runs on this thread while they read.
  const first =
    plan === undefined || input.refinePass === undefined
      ? undefined
      : input.refinePass(part.coefficients, plan);
  // Awaited below; should the solve's rest throw first, its failure is not left unhandled.
  first?.catch(() => {});
  let solution = completeSolve(part);
  let passes = 0;
  const extraWarnings = [...(input.warnings ?? [])];
  if (plan !== undefined && input.refinePass === undefined) {
    extraWarnings.push(
      input.refineSkipped ??
        'iterative refinement skipped: the input (stdin) can be read only once',
    );
  } else if (plan !== undefined && first !== undefined && input.refinePass !== undefined) {
    const run = await continueRefinement(
      factor,
      solution,
      spec.refine === 'on' ? 'on' : 'auto',
      first,
      input.refinePass,
      plan,
      MAX_REFINE_PASSES,
    );
    solution = run.solution;
    passes += run.passes;
  }
  if (extraWarnings.length > 0) {
    solution = { ...solution, warnings: [...solution.warnings, ...extraWarnings] };
  }
  // One pass at the final β for both the robust-SE meat and the residual diagnostics.
  const kept = identifiedColumns(solution);
  const clusterSpec: ClusterSpec | undefined =
    spec.cluster === undefined
      ? undefined
      : {
          p: factor.spec.p,
          intercept: factor.spec.intercept,
          beta: Float64Array.from(solution.coefficients, (b) => (Number.isNaN(b) ? 0 : b)),
          kept,
          columns: spec.cluster,
          maxClusters: spec.maxClusters,
        };
  const meatSpec =
    spec.se === 'classical' || clusterSpec !== undefined
      ? undefined
      : meatSpecOf(factor, solution, spec.se);
  const shift = solution.rss / factor.rowsPositiveWeight;
  const diagnosticsSpec: DiagnosticsSpec | undefined = spec.diagnostics
    ? {
        p: factor.spec.p,
        intercept: factor.spec.intercept,
        beta: Float64Array.from(solution.coefficients, (b) => (Number.isNaN(b) ? 0 : b)),
        kept,
        shift: Number.isFinite(shift) ? shift : 0,
      }
    : undefined;
  // The top rows by Cook's distance and leverage: R's, which a ridge fit has no counterpart
  // of; rows are placed through the source's units (a caller without them gets no lists).
  const residualDf = factor.rowsPositiveWeight - kept.length;
  const unitFiles = input.unitFiles;
  const topSpec: TopRowsSpec | undefined =
    diagnosticsSpec !== undefined &&
    spec.topK > 0 &&
    solution.lambda === 0 &&
    unitFiles !== undefined
      ? {
          p: factor.spec.p,
          intercept: factor.spec.intercept,
          beta: diagnosticsSpec.beta,
          kept,
          factor: identifiedFactor(factor, kept).r,
          sigma2: solution.rss / residualDf,
          k: spec.topK,
          units: unitFiles.length,
        }
      : undefined;
  let states: ResidualStates = {};
  if (meatSpec !== undefined || diagnosticsSpec !== undefined || clusterSpec !== undefined) {
    if (input.residualPass === undefined) {
      throw new FitError('robust standard errors and diagnostics need a second pass over the data');
    }
    states = await input.residualPass({
      ...(meatSpec === undefined ? {} : { meat: meatSpec }),
      ...(diagnosticsSpec === undefined ? {} : { diagnostics: diagnosticsSpec }),
      ...(clusterSpec === undefined ? {} : { cluster: clusterSpec }),
      ...(topSpec === undefined ? {} : { top: topSpec }),
    });
    passes += 1;
  }
  let robust: RobustCovariance | undefined;
  if (meatSpec !== undefined && spec.se !== 'classical') {
    const meat = states.meat ?? createMeatState(meatSpec.kept.length);
    robust = robustCovariance(factor, solution, meat, spec.se);
    if (robust.highLeverageRows > 0 && (spec.se === 'hc2' || spec.se === 'hc3')) {
      solution = {
        ...solution,
        warnings: [
          ...solution.warnings,
          `${spec.se.toUpperCase()}: ${robust.highLeverageRows} row(s) have leverage above ${HIGH_LEVERAGE.toPrecision(10)}; the robust standard errors are numerically unstable`,
        ],
      };
    }
  }
  if (clusterSpec !== undefined) {
    const state = states.cluster ?? emptyClusterState(kept.length, clusterSpec.columns.length);
    robust = clusterCovariance(
      factor,
      solution,
      state,
      clusterSpec.columns,
      spec.se === 'hc0' ? 'hc0' : 'hc1',
    );
  }
  let diagnostics: ResidualDiagnostics | undefined;
  if (diagnosticsSpec !== undefined) {
    const state = states.diagnostics ?? createDiagnosticsState(kept.length, diagnosticsSpec.shift);
    diagnostics = residualDiagnostics(state, identifiedFactor(factor, kept).r);
    if (topSpec !== undefined && states.top !== undefined) {
      const top = placeTopRows(states.top, unitFiles ?? []);
      diagnostics = { ...diagnostics, topCook: top.cook, topLeverage: top.leverage };
    }
  }
  const inference = computeInference(factor, solution, { level: spec.level, robust });
  const anova = termAnova(
    factor,
    solution,
    identifiedColumns(solution),
    input.features,
    input.terms,
  );
  const model = buildModel({
    anova,
    factor,
    solution,
    inference,
    names: {
      target: input.target,
      features: input.features,
      weights: spec.weights,
      terms: input.terms,
    },
    rows: input.rows,
    solver: spec.solver,
    level: spec.level,
    timestamps: spec.timestamps,
    diagnostics,
  });
  return { model, solution, passes };
}
