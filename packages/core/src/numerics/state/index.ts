/**
 * The one header module of every binary state (accumulator, refine, moments):
 * common prefix with magic, byte-order mark, kind, version, lengths and an
 * XXH32 checksum, then per-kind fields from a table (docs/state-format.md).
 */
export { stateChecksum } from './checksum.js';
export {
  ACCUMULATOR_STATE,
  BYTE_ORDER_MARK,
  DIAGNOSTICS_STATE,
  fieldIndex,
  HOST_LITTLE_ENDIAN,
  headerLength,
  MAX_FEATURES,
  MEAT_STATE,
  MOMENTS_STATE,
  PREFIX_LENGTH,
  REFINE_STATE,
  S_BYTE_ORDER,
  S_CHECKSUM,
  S_HEADER_LENGTH,
  S_KIND,
  S_MAGIC,
  S_PAYLOAD_LENGTH,
  S_VERSION,
  STATE_LAYOUTS,
  STATE_MAGIC,
  STATE_MAGIC_BYTES,
  type StateField,
  type StateFieldCheck,
  type StateKindName,
  type StateLayout,
} from './kinds.js';
export {
  createState,
  openState,
  readState,
  sealState,
  serializeState,
  stateView,
  swapStateByteOrder,
} from './state-buffer.js';
