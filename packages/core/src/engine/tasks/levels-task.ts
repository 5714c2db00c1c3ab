/**
 * The levels pass of a formula: one unit's factor levels (among the rows the
 * fit will use) and orthogonal-polynomial power sums (formula/levels.ts).
 * It reads the program's raw columns through the model frame in scan mode,
 * so a row is used here exactly when the accumulate pass will use it.
 */

import type { RowFilter } from '../../filter/index.js';
import { FrameBuilder } from '../../formula/frame.js';
import { LevelCollector, type LevelFindings } from '../../formula/levels.js';
import type { DesignProgram } from '../../formula/program.js';
import { rowPlace } from './design-batch.js';
import { countRows } from './design-rows.js';
import { filteredInput } from './filter-rows.js';
import type { MissingPolicy } from './protocol.js';
import type { TaskInput, TaskKind, TaskResult } from './task-kind.js';

export interface LevelsArgs {
  readonly program: DesignProgram;
  readonly missing: MissingPolicy;
  readonly maxLevels: number;
  /** Factors that may pass the cap (left out by the caller instead of an error). */
  readonly optional?: readonly number[] | undefined;
  /** `where`: only the kept rows' levels count (tasks/filter-rows.ts). */
  readonly filter?: RowFilter | undefined;
}

export const task: TaskKind<LevelsArgs, LevelFindings> = {
  run: levelsOfUnit,
  transfer: (o) =>
    o.sums.filter((s): s is Float64Array => s !== null).map((s) => s.buffer as ArrayBuffer),
};

async function levelsOfUnit(
  input: TaskInput,
  args: LevelsArgs,
): Promise<TaskResult<LevelFindings>> {
  const unit = input.unit;
  const frame = new FrameBuilder(args.program, {
    mode: 'scan',
    missing: args.missing,
    unit: { file: unit.file, place: (row) => rowPlace(unit, row) },
  });
  const collector = new LevelCollector(args.program, args.maxLevels, unit.file, args.optional);
  const { names, categorical } = frame.inputs;
  let rowsRead = 0;
  let rowsDropped = 0;
  const filtered = filteredInput(input, args.filter);
  for await (const batch of filtered.input.read(names, categorical)) {
    const f = frame.build(batch, rowsRead);
    collector.add(f);
    rowsRead += batch.rows;
    rowsDropped += f.dropped;
  }
  return {
    output: collector.findings(),
    rows: countRows(rowsRead, rowsDropped, filtered.filtered()),
  };
}
