/**
 * BLAS-shaped kernels over Float64Array with explicit dimensions.
 */

/**
 * Symmetric rank-n update, upper triangle: C[i][j] += Σ_r A[r][i]·A[r][j] for
 * 0 ≤ i ≤ j < q (BLAS dsyrk, 'U', 'T').
 *
 * A is column-major (`a[j*lda + r]`, column j contiguous) with `rows` rows and
 * at least `ceil(q/4)*4` columns: the columns q..ceil(q/4)*4−1 must exist and
 * hold zeros (padding), so the 4 x 2 register-blocked inner kernel needs no
 * edge cases. C is row-major with leading dimension ldc; only its upper
 * triangle is touched.
 *
 * Each inner iteration loads 6 values and does 8 multiply-adds; the sums of
 * one 4 x 2 block of C stay in registers for the whole column length.
 * Blocks on the diagonal compute a few lower-triangle sums that are discarded.
 */
export function syrkUpperAdd(
  rows: number,
  q: number,
  a: Float64Array,
  lda: number,
  c: Float64Array,
  ldc: number,
): void {
  for (let i0 = 0; i0 < q; i0 += 4) {
    const p0 = i0 * lda;
    const p1 = p0 + lda;
    const p2 = p1 + lda;
    const p3 = p2 + lda;
    for (let j0 = i0; j0 < q; j0 += 2) {
      const pa = j0 * lda;
      const pb = pa + lda;
      let s0a = 0;
      let s1a = 0;
      let s2a = 0;
      let s3a = 0;
      let s0b = 0;
      let s1b = 0;
      let s2b = 0;
      let s3b = 0;
      for (let r = 0; r < rows; r++) {
        const xa = a[pa + r];
        const xb = a[pb + r];
        const a0 = a[p0 + r];
        const a1 = a[p1 + r];
        const a2 = a[p2 + r];
        const a3 = a[p3 + r];
        s0a += a0 * xa;
        s1a += a1 * xa;
        s2a += a2 * xa;
        s3a += a3 * xa;
        s0b += a0 * xb;
        s1b += a1 * xb;
        s2b += a2 * xb;
        s3b += a3 * xb;
      }
      const ja = j0;
      const jb = j0 + 1;
      if (ja < q) {
        const o = i0 * ldc + ja;
        c[o] += s0a;
        if (i0 + 1 <= ja) c[o + ldc] += s1a;
        if (i0 + 2 <= ja) c[o + 2 * ldc] += s2a;
        if (i0 + 3 <= ja) c[o + 3 * ldc] += s3a;
      }
      if (jb < q) {
        const o = i0 * ldc + jb;
        c[o] += s0b;
        if (i0 + 1 <= jb) c[o + ldc] += s1b;
        if (i0 + 2 <= jb) c[o + 2 * ldc] += s2b;
        if (i0 + 3 <= jb) c[o + 3 * ldc] += s3b;
      }
    }
  }
}

/** Number of columns syrkUpperAdd reads for q used columns (q rounded up to a multiple of 4). */
export function paddedColumns(q: number): number {
  return (q + 3) & ~3;
}

/** a · b for q × q row-major matrices (a fresh result; zero entries of a skipped). */
export function multiplySquare(a: Float64Array, b: Float64Array, q: number): Float64Array {
  const out = new Float64Array(q * q);
  for (let i = 0; i < q; i++) {
    for (let l = 0; l < q; l++) {
      const x = a[i * q + l];
      if (x === 0) continue;
      for (let j = 0; j < q; j++) out[i * q + j] += x * b[l * q + j];
    }
  }
  return out;
}
