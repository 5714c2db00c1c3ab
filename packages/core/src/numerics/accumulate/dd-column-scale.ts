/**
 * The exact power-of-two column scaling of the double-double triangle merge
 * (dd-triangle-merge.ts and its WebAssembly twin, wasm/dd-merge-kernels.ts):
 * each column is scaled so its largest entry lies in [1, 2), which keeps the
 * dd arithmetic clear of overflow and Dekker's split exact.
 */

const bits = new DataView(new ArrayBuffer(8));

/**
 * The e of a column whose largest |entry| is `big`: 2^−e puts it in [1, 2)
 * (|e| ≤ 1000). Zero, infinite or NaN columns stay unscaled (e = 0), so
 * non-finite data propagate to R (and the solver reports them) exactly as in
 * double arithmetic.
 */
export function scaleExponent(big: number): number {
  return big > 0 && big < Number.POSITIVE_INFINITY
    ? Math.max(-1000, Math.min(1000, Math.floor(Math.log2(big))))
    : 0;
}

/** 2^e for an integer |e| ≤ 1000, built from its exponent bits (exact by construction). */
export function pow2(e: number): number {
  bits.setUint32(0, (e + 1023) << 20, false);
  bits.setUint32(4, 0, false);
  return bits.getFloat64(0, false);
}
