/**
 * The common state header and the per-kind header tables: every binary state
 * of linreg (accumulator, refine, moments, meat, diagnostics) is one Float64Array laid out as
 *
 *     [common prefix, 7 slots] [kind fields, one slot each] [payload]
 *
 * Every slot is 8 bytes. See docs/state-format.md for the full layout, the
 * checksum and the versioning rules. This file has no runtime imports, so any
 * numerics module may read these tables while it is being loaded.
 */

/** Slot 0: the 8 ASCII bytes "LinRegSt", stored as bytes (the same in either byte order). */
export const STATE_MAGIC = 'LinRegSt';
export const STATE_MAGIC_BYTES: Uint8Array = Uint8Array.from(STATE_MAGIC, (c) => c.charCodeAt(0));

/** Slot indices of the common prefix. */
export const S_MAGIC = 0;
export const S_BYTE_ORDER = 1;
export const S_KIND = 2;
export const S_VERSION = 3;
export const S_HEADER_LENGTH = 4;
export const S_PAYLOAD_LENGTH = 5;
export const S_CHECKSUM = 6;
/** Slots in the common prefix; the kind's fields start here. */
export const PREFIX_LENGTH = 7;

/**
 * Slot 1: the float64 whose bits are 0x0102030405060708, written in the
 * writer's byte order: bytes 08 07 … 01 on a little-endian machine.
 */
export const BYTE_ORDER_MARK: number = (() => {
  const v = new DataView(new ArrayBuffer(8));
  v.setUint32(0, 0x01020304);
  v.setUint32(4, 0x05060708);
  return v.getFloat64(0);
})();

/** Whether this machine stores numbers little-endian (every platform Node ships for but s390x). */
export const HOST_LITTLE_ENDIAN: boolean = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Largest p a state may declare; guards against allocating from a corrupt header. */
export const MAX_FEATURES = 1 << 16;

/** How a kind field is validated on read (each names the field when it fails). */
export type StateFieldCheck =
  /** A code 1, 2, … naming one of `codes` (code i + 1 is codes[i]). */
  | { readonly type: 'code'; readonly codes: readonly string[] }
  /** A non-negative integer, at most `max`; `what` names it in the message. */
  | { readonly type: 'count'; readonly max?: number; readonly what?: string }
  /** An integer bit set within `mask`. */
  | { readonly type: 'flags'; readonly mask: number }
  /** Finite and ≥ 0. */
  | { readonly type: 'nonnegative' }
  /** Finite. */
  | { readonly type: 'finite' };

export type StateField<Name extends string = string> = { readonly name: Name } & StateFieldCheck;

export type StateKindName = 'accumulator' | 'refine' | 'moments' | 'meat' | 'diagnostics';

/** One binary state kind: its tag, the format version this build writes and reads, its fields. */
export interface StateLayout<Name extends string = string> {
  readonly kind: StateKindName;
  /** The kind tag stored in slot 2. */
  readonly code: number;
  /** The format version stored in slot 3 (the only one this build reads). */
  readonly version: number;
  /** The kind's header fields, in slot order from PREFIX_LENGTH. */
  readonly fields: readonly StateField<Name>[];
}

const ACCUMULATOR_KINDS = ['qr', 'normal'];

/** The accumulator state (accumulate/accumulator.ts). */
export const ACCUMULATOR_STATE = {
  kind: 'accumulator',
  code: 1,
  version: 1,
  fields: [
    { name: 'accumulator kind', type: 'code', codes: ACCUMULATOR_KINDS },
    { name: 'p', type: 'count', max: MAX_FEATURES, what: 'feature count' },
    /** bit 0 intercept, bit 1 weighted */
    { name: 'flags', type: 'flags', mask: 3 },
    { name: 'rows', type: 'count', what: 'row count' },
    { name: 'rows positive', type: 'count', what: 'row count' },
    { name: 'sum of weights', type: 'nonnegative' },
    { name: 'sum of log weights', type: 'finite' },
  ],
} as const satisfies StateLayout;

/** The refinement state (refine/refine-state.ts). */
export const REFINE_STATE = {
  kind: 'refine',
  code: 2,
  version: 1,
  fields: [
    { name: 'accumulator kind', type: 'code', codes: ACCUMULATOR_KINDS },
    { name: 'p', type: 'count', max: MAX_FEATURES, what: 'feature count' },
    /** bit 0 intercept, bit 1 weighted, bit 2 gram */
    { name: 'flags', type: 'flags', mask: 7 },
    { name: 'rows', type: 'count', what: 'row count' },
    { name: 'm', type: 'count', max: MAX_FEATURES + 1, what: 'column count' },
  ],
} as const satisfies StateLayout;

/** The moments state (accumulate/moments.ts). */
export const MOMENTS_STATE = {
  kind: 'moments',
  code: 3,
  version: 1,
  fields: [
    { name: 'p', type: 'count', what: 'feature count' },
    { name: 'rows', type: 'count', what: 'row count' },
    { name: 'sum of weights', type: 'nonnegative' },
  ],
} as const satisfies StateLayout;

/** The robust-SE meat state (meat/meat.ts): Σ ωᵢ xᵢxᵢᵀ over the q identified columns. */
export const MEAT_STATE = {
  kind: 'meat',
  code: 4,
  version: 1,
  fields: [
    { name: 'q', type: 'count', max: MAX_FEATURES + 1, what: 'column count' },
    { name: 'rows', type: 'count', what: 'row count' },
    { name: 'high leverage rows', type: 'count', what: 'row count' },
  ],
} as const satisfies StateLayout;

/**
 * The residual-diagnostics state (diagnostics/diagnostics-state.ts): moments, extremes and
 * successive differences of the whitened residuals, a log-bucket sketch of them for the
 * quartiles, and Breusch–Pagan's sums over the q identified columns.
 */
export const DIAGNOSTICS_STATE = {
  kind: 'diagnostics',
  code: 5,
  version: 1,
  fields: [
    { name: 'q', type: 'count', max: MAX_FEATURES + 1, what: 'column count' },
    { name: 'rows', type: 'count', what: 'row count' },
    { name: 'shift', type: 'finite' },
    { name: 'sketch floor', type: 'nonnegative' },
    { name: 'sketch buckets', type: 'count', max: 1 << 20, what: 'bucket count' },
  ],
} as const satisfies StateLayout;

/** Every state kind, by tag. */
export const STATE_LAYOUTS: readonly StateLayout[] = [
  ACCUMULATOR_STATE,
  REFINE_STATE,
  MOMENTS_STATE,
  MEAT_STATE,
  DIAGNOSTICS_STATE,
];

type FieldName<L> = L extends { readonly fields: readonly { readonly name: infer N }[] }
  ? N
  : never;

/** The slot of a kind's header field. */
export function fieldIndex<L extends StateLayout>(layout: L, name: FieldName<L>): number {
  const i = layout.fields.findIndex((f) => f.name === name);
  if (i < 0) throw new Error(`state layout ${layout.kind} has no field '${String(name)}'`);
  return PREFIX_LENGTH + i;
}

/** Slots before the payload: the common prefix and the kind's fields. */
export function headerLength(layout: StateLayout): number {
  return PREFIX_LENGTH + layout.fields.length;
}
