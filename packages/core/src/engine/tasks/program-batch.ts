/**
 * The design batch of a formula's program: io's raw columns → the model
 * frame (formula/frame.ts: missing rows, factor codes, transforms) → design
 * columns (formula/design.ts), with the frame's unused rows removed in place.
 * The same policy as DesignBatcher: a missing row is dropped and counted, or
 * (`error`) fails naming the file, column and row; ±Infinity always fails.
 */
import type { ColumnBatch } from '@linreg/io';
import { compactRows, DesignBuilder } from '../../formula/design.js';
import { FrameBuilder } from '../../formula/frame.js';
import type { DesignProgram } from '../../formula/program.js';
import type { DesignBatch } from '../../numerics/types.js';
import { rowPlace, type UnitName } from './design-batch.js';
import type { MissingPolicy } from './protocol.js';

export class ProgramBatcher {
  readonly #frame: FrameBuilder;
  readonly #design: DesignBuilder;
  readonly #weighted: boolean;
  readonly columns: readonly string[];
  readonly categorical: readonly string[];
  /** Every design batch lives in the builders' arrays, overwritten by the next batch. */
  readonly reusesOutput = true;
  /** Σ offsets of the last batch's used rows (aligned with its design rows); undefined without offsets. */
  offset: Float64Array | undefined;

  readonly #sparse: boolean;

  constructor(program: DesignProgram, policy: MissingPolicy, unit: UnitName, sparse = false) {
    this.#frame = new FrameBuilder(program, {
      mode: 'fit',
      missing: policy,
      unit: { file: unit.file, place: (row) => rowPlace(unit, row) },
    });
    this.#design = new DesignBuilder(program);
    this.#sparse = sparse && this.#design.hasOneHot;
    this.#weighted = program.weights !== undefined;
    const inputs = this.#frame.inputs;
    this.columns = inputs.names;
    this.categorical = inputs.categorical;
  }

  toDesign(batch: ColumnBatch, rowOffset: number): { design: DesignBatch; dropped: number } {
    const frame = this.#frame.build(batch, rowOffset);
    const y = frame.response as Float64Array;
    const w = this.#weighted ? (frame.weights as Float64Array) : undefined;
    const own = [
      y,
      ...(w === undefined ? [] : [w]),
      ...(frame.offset === undefined ? [] : [frame.offset]),
    ];
    this.offset = frame.offset;
    if (this.#sparse) {
      const { x, sparse } = this.#design.buildSparse(frame);
      const rows =
        frame.dropped > 0
          ? compactRows(
              [...x, ...own, ...sparse.columns, ...sparse.values.filter((v) => v !== undefined)],
              frame.mask,
              frame.rows,
            )
          : frame.rows;
      return { design: { rows, x, y, w, sparse }, dropped: frame.dropped };
    }
    const x = this.#design.build(frame);
    const rows =
      frame.dropped > 0 ? compactRows([...x, ...own], frame.mask, frame.rows) : frame.rows;
    return { design: { rows, x, y, w }, dropped: frame.dropped };
  }
}
