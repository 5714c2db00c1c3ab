/**
 * The design batch of a formula's program: io's raw columns → the model
 * frame (formula/frame.ts: missing rows, factor codes, transforms) → design
 * columns (formula/design.ts), with the frame's unused rows removed in place.
 * The same policy as DesignBatcher: a missing row is dropped and counted, or
 * (`error`) fails naming the file, column and row; ±Infinity always fails.
 */

import { MissingValueError } from '@linreg/errors';
import type { ColumnBatch } from '@linreg/io';
import { compactRows, DesignBuilder } from '../../formula/design.js';
import { FrameBuilder } from '../../formula/frame.js';
import { type DesignProgram, designColumnNamesOf } from '../../formula/program.js';
import type { ClusterKeyColumn } from '../../numerics/meat/index.js';
import type { DesignBatch } from '../../numerics/types.js';
import { ClusterColumns } from './cluster-columns.js';
import { rowPlace, type UnitName } from './design-batch.js';
import { magnitudeProblem } from './magnitude.js';
import type { ClusterRead, MissingPolicy } from './protocol.js';

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
  /** The last batch's rows left out (1 = dropped, by batch row); undefined when none was. */
  dropMask: Uint8Array | undefined;

  readonly #sparse: boolean;
  readonly #names: readonly string[];
  readonly #responseLabel: string;
  readonly #unit: UnitName;
  readonly #cluster: ClusterColumns | undefined;

  constructor(
    program: DesignProgram,
    policy: MissingPolicy,
    unit: UnitName,
    sparse = false,
    cluster?: ClusterRead | undefined,
  ) {
    this.#frame = new FrameBuilder(program, {
      mode: 'fit',
      missing: policy,
      unit: { file: unit.file, place: (row) => rowPlace(unit, row) },
    });
    this.#design = new DesignBuilder(program);
    this.#sparse = sparse && this.#design.hasOneHot;
    this.#names = designColumnNamesOf(program);
    this.#responseLabel = program.response?.label ?? 'response';
    this.#unit = unit;
    this.#weighted = program.weights !== undefined;
    const inputs = this.#frame.inputs;
    this.#cluster =
      cluster === undefined
        ? undefined
        : new ClusterColumns(cluster, inputs.names, policy, unit.file, (row) =>
            rowPlace(unit, row),
          );
    this.columns = [...inputs.names, ...(this.#cluster?.extra ?? [])];
    this.categorical = [...inputs.categorical, ...(this.#cluster?.extraCategorical ?? [])];
  }

  /** The last batch's cluster keys, aligned with its design rows (empty without `cluster`). */
  get clusterKeys(): readonly ClusterKeyColumn[] {
    return this.#cluster?.keys ?? [];
  }

  /** Refuses a design column whose magnitudes the sums of squares cannot take (magnitude.ts). */
  #checkMagnitude(
    column: Float64Array,
    name: string,
    rows: number,
    mask: Uint8Array | undefined,
    rowOffset: number,
  ): void {
    const found = magnitudeProblem(column, rows, mask);
    if (found === undefined) return;
    throw new MissingValueError(
      this.#unit.file,
      name,
      rowPlace(this.#unit, rowOffset + found.row),
      found.problem,
    );
  }

  toDesign(batch: ColumnBatch, rowOffset: number): { design: DesignBatch; dropped: number } {
    const frame = this.#frame.build(batch, rowOffset);
    let extra = 0;
    if (this.#cluster !== undefined) {
      extra = this.#cluster.mark(batch, frame.mask, rowOffset);
      this.#cluster.take(batch, frame.mask, frame.dropped + extra);
    }
    const dropped = frame.dropped + extra;
    const mask = dropped > 0 ? frame.mask : undefined;
    this.dropMask = mask;
    const y = frame.response as Float64Array;
    this.#checkMagnitude(y, this.#responseLabel, frame.rows, mask, rowOffset);
    const w = this.#weighted ? (frame.weights as Float64Array) : undefined;
    const own = [
      y,
      ...(w === undefined ? [] : [w]),
      ...(frame.offset === undefined ? [] : [frame.offset]),
    ];
    this.offset = frame.offset;
    if (this.#sparse) {
      const { x, sparse } = this.#design.buildSparse(frame);
      x.forEach((c, k) => {
        this.#checkMagnitude(
          c,
          this.#names[sparse.dense[k] as number] ?? '',
          frame.rows,
          mask,
          rowOffset,
        );
      });
      for (const v of sparse.values) {
        if (v !== undefined) this.#checkMagnitude(v, 'an interaction', frame.rows, mask, rowOffset);
      }
      const rows =
        dropped > 0
          ? compactRows(
              [...x, ...own, ...sparse.columns, ...sparse.values.filter((v) => v !== undefined)],
              frame.mask,
              frame.rows,
            )
          : frame.rows;
      return { design: { rows, x, y, w, sparse }, dropped };
    }
    const x = this.#design.build(frame);
    const rows = dropped > 0 ? compactRows([...x, ...own], frame.mask, frame.rows) : frame.rows;
    return { design: { rows, x, y, w }, dropped };
  }
}
