/**
 * The report's second pass over one unit: the density grids and the top k by
 * Cook's distance (engine/report/report-bins.ts), and the residual
 * diagnostics state (numerics/diagnostics: moments and the quantile sketch
 * the Q–Q plot is read from), both moved.
 */
import { parseModel } from '../../model/model-json.js';
import {
  DiagnosticsAccumulator,
  type DiagnosticsSpec,
  serializeDiagnosticsState,
} from '../../numerics/diagnostics/index.js';
import { BinsAccumulator } from '../report/report-bins.js';
import { ReportRows } from '../report/report-rows.js';
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface ReportBinsArgs {
  readonly read: DesignRead;
  readonly modelJson: string | Uint8Array;
  /** The merged ranges of the first pass. */
  readonly ranges: Float64Array;
  /** Bins per axis. */
  readonly bins: number;
  /** Rows of largest Cook's distance kept. */
  readonly top: number;
  readonly diagnostics: DiagnosticsSpec;
}

export interface ReportBinsOutput {
  readonly bins: Float64Array;
  readonly diagnostics: ArrayBuffer;
}

export const task: TaskKind<ReportBinsArgs, ReportBinsOutput> = {
  async run(input, args) {
    const rows = new ReportRows(parseModel(args.modelJson));
    const bins = new BinsAccumulator(args.ranges, args.bins, args.top, input.unit.index);
    const diagnostics = new DiagnosticsAccumulator(args.diagnostics);
    const counts = await streamDesign(
      input,
      args.read,
      (design, firstRow, _cluster, offset, dropMask) => {
        rows.compute(design, offset);
        bins.update(rows, design.rows, firstRow, dropMask);
        diagnostics.update(design);
      },
    );
    return {
      output: { bins: bins.state, diagnostics: serializeDiagnosticsState(diagnostics.state) },
      rows: counts,
    };
  },
  transfer: (o) => [o.bins.buffer as ArrayBuffer, o.diagnostics],
};
