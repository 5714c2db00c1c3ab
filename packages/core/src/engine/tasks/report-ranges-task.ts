/**
 * The report's first pass over one unit: the ranges of ŷ, e, √|s|, s and h
 * (engine/report/report-ranges.ts), merged by min / max.
 */
import { parseModel } from '../../model/model-json.js';
import { createRanges, updateRanges } from '../report/report-ranges.js';
import { ReportRows } from '../report/report-rows.js';
import { streamDesign } from './design-rows.js';
import type { DesignRead } from './protocol.js';
import type { TaskKind } from './task-kind.js';

export interface ReportRangesArgs {
  readonly read: DesignRead;
  /** The model as its JSON text, or its bytes (modelJsonForTask; parsed once per task). */
  readonly modelJson: string | Uint8Array;
}

export const task: TaskKind<ReportRangesArgs, Float64Array> = {
  async run(input, args) {
    const rows = new ReportRows(parseModel(args.modelJson));
    const ranges = createRanges();
    const counts = await streamDesign(input, args.read, (design, _row, _cluster, offset) => {
      rows.compute(design, offset);
      updateRanges(ranges, rows, design.rows);
    });
    return { output: ranges, rows: counts };
  },
  transfer: (o) => [o.buffer as ArrayBuffer],
};
