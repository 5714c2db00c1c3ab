import { MissingValueError } from '@linreg/errors';
import { describe, expect, it } from 'vitest';
import {
  DesignBatcher,
  unitPlace,
} from '../../../../packages/core/src/engine/tasks/design-batch.js';

const unit = { file: 'data/a.parquet', label: 'data/a.parquet row group 3' };
const design = { features: ['x1', 'x2'], target: 'y' };

const batch = (columns: number[][], nulls: (number[] | null)[] = columns.map(() => null)) => ({
  rows: columns[0]?.length ?? 0,
  names: ['x1', 'x2', 'y'],
  columns: columns.map((c) => Float64Array.from(c)),
  nulls: nulls.map((n) => (n === null ? null : Uint8Array.from(n))),
});

describe('DesignBatcher', () => {
  it('passes complete batches through as zero-copy views', () => {
    const b = batch([
      [1, 2],
      [3, 4],
      [5, 6],
    ]);
    const { design: d, dropped } = new DesignBatcher(design, 'drop', unit).toDesign(b, 0);
    expect(dropped).toBe(0);
    expect(d.rows).toBe(2);
    expect(d.x[0]).toBe(b.columns[0]);
    expect(d.y).toBe(b.columns[2]);
    expect(d.w).toBeUndefined();
  });

  it('drops rows with a null or NaN in any used column and compacts the rest in order', () => {
    const b = batch(
      [
        [1, 2, 3, 4],
        [5, Number.NaN, 7, 8],
        [9, 10, 11, 12],
      ],
      [null, null, [0, 0, 0, 1]],
    );
    const { design: d, dropped } = new DesignBatcher(design, 'drop', unit).toDesign(b, 0);
    expect(dropped).toBe(2);
    expect(d.rows).toBe(2);
    expect(Array.from(d.x[0]?.subarray(0, 2) ?? [])).toEqual([1, 3]);
    expect(Array.from(d.x[1]?.subarray(0, 2) ?? [])).toEqual([5, 7]);
    expect(Array.from(d.y.subarray(0, 2))).toEqual([9, 11]);
  });

  it('reads weights as the column after the target', () => {
    const b = { ...batch([[1], [2], [3], [0.5]]), names: ['x1', 'x2', 'y', 'w'] };
    const batcher = new DesignBatcher({ ...design, weights: 'w' }, 'drop', unit);
    expect(batcher.columns).toEqual(['x1', 'x2', 'y', 'w']);
    expect(batcher.toDesign(b, 0).design.w?.[0]).toBe(0.5);
  });

  it("names file, column and row under missing: 'error'", () => {
    const b = batch(
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      [null, [0, 1], null],
    );
    const run = () => new DesignBatcher(design, 'error', unit).toDesign(b, 100);
    expect(run).toThrow(MissingValueError);
    expect(run).toThrow('data/a.parquet: x2: row group 3, row 101: missing value (null)');
  });

  it('refuses infinite values under either policy', () => {
    const b = batch([
      [1, Number.POSITIVE_INFINITY],
      [3, 4],
      [5, 6],
    ]);
    expect(() => new DesignBatcher(design, 'drop', unit).toDesign(b, 0)).toThrow(
      'data/a.parquet: x1: row group 3, row 1: infinite value Infinity',
    );
  });

  it('hands out an unchecked design only when nothing but a bad value could be dropped', () => {
    const cols = [
      [1, Number.NaN],
      [3, 4],
      [5, 6],
    ];
    // Views of the batch's own columns, values not looked at (the accumulator checks them).
    const b = batch(cols);
    const d = new DesignBatcher(design, 'drop', unit).uncheckedDesign(b);
    expect(d?.rows).toBe(2);
    expect(d?.x[0]).toBe(b.columns[0]);
    expect(d?.x[1]).toBe(b.columns[1]);
    expect(d?.y).toBe(b.columns[2]);
    expect(d?.w).toBeUndefined();
    // A null mask: toDesign must drop or report the rows.
    expect(
      new DesignBatcher(design, 'drop', unit).uncheckedDesign(batch(cols, [null, [0, 0], null])),
    ).toBeUndefined();
    // Cluster columns are read along: toDesign.
    const clustered = new DesignBatcher(design, 'drop', unit, {
      names: ['x2'],
      categorical: [false],
    });
    expect(clustered.uncheckedDesign(b)).toBeUndefined();
  });

  it('checks the weights of an unchecked design itself', () => {
    const weighted = { ...design, weights: 'w' };
    const wb = (w: number[]) => ({
      rows: 2,
      names: ['x1', 'x2', 'y', 'w'],
      columns: [[1, 2], [3, 4], [5, 6], w].map((c) => Float64Array.from(c)),
      nulls: [null, null, null, null],
    });
    const ok = new DesignBatcher(weighted, 'drop', unit).uncheckedDesign(wb([1, 0.5]));
    expect(Array.from(ok?.w ?? [])).toEqual([1, 0.5]);
    for (const bad of [
      [1, Number.NaN],
      [1, Number.POSITIVE_INFINITY],
      [1, 2 ** 401],
      [2 ** -401, 0],
      [1, -0.5],
    ]) {
      expect(
        new DesignBatcher(weighted, 'drop', unit).uncheckedDesign(wb(bad)),
        `weights ${bad}`,
      ).toBeUndefined();
    }
  });

  it('strips the file from the unit label', () => {
    expect(unitPlace(unit)).toBe('row group 3');
    expect(unitPlace({ file: 'a.csv', label: 'bytes 0-10' })).toBe('bytes 0-10');
  });
});
