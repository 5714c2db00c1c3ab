/** Fits run as rounds across machines (partial, merge), and models that keep their state (update). */
export { type DyadicBlock, dyadicBlocks, mergeBlocks, sliceRange } from './dyadic.js';
export {
  type DeferredPartial,
  type MergeOutcome,
  mergePartials,
  type NamedPartial,
} from './merge.js';
export { computePartial, type PartialOptions } from './partial.js';
export { parseRoundsJson, type RoundsDocument, roundsJson } from './rounds-file.js';
export {
  decodePartialFile,
  decodePartialHeader,
  encodePartialFile,
  PARTIAL_PREFIX_BYTES,
  type PartialFile,
  type PartialHeader,
  STATE_FILE_VERSION,
} from './state-file.js';
export { type UpdateOptions, updateFit } from './update.js';
