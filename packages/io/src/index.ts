export { IoError, type IoErrorCode, type IoErrorDetails } from '@linreg/errors';
export { arrowFormat } from './arrow/module.js';
export type { OpenArrowStream } from './arrow/stream.js';
export type { ByteSource, SourceStamp } from './bytes/byte-source.js';
export { openBytes, stampOf } from './bytes/open-bytes.js';
export { type RemoteOptions, setRemoteOptions } from './bytes/remote-options.js';
export { isRemote } from './bytes/remote-url.js';
export { BOOLEAN_LEVELS } from './categorical.js';
export { type CsvOptions, csvFormat, DEFAULT_CSV_CHUNK_BYTES } from './csv/index.js';
export { detectKind, type FileKind } from './detect.js';
export type { FooterSeed } from './footer-seeds.js';
export type { FormatModule, ReadOptions, ShardDescription } from './format.js';
export { formatModule } from './formats.js';
export {
  GENERATE_LIMITS,
  type GeneratedDataset,
  type GenerateOptions,
  generateDataset,
} from './generate.js';
export { type ResolvedFile, type ResolveOptions, resolveInputs, STDIN } from './inputs.js';
export { cachedFooters, parquetFormat } from './parquet/index.js';
export { type PlanOptions, planInputs } from './plan.js';
export { Xoshiro128 } from './random.js';
export {
  concatRaw,
  type RawColumn,
  type RawTimeUnit,
  type RawType,
  rawTypeName,
  sliceRaw,
} from './raw.js';
export { openStream, readStream, readUnit } from './read-unit.js';
export {
  type ColumnRequest,
  columnsByName,
  commonColumns,
  type Projection,
  selectColumns,
} from './schema.js';
export { temporalHint } from './temporal.js';
export type {
  ColumnBatch,
  ColumnInfo,
  DataFormat,
  PartitionValues,
  Plan,
  ShardInfo,
  WorkUnit,
} from './types.js';
export {
  checkOutputPath,
  type OutputWriter,
  openWriter,
  type WriterOptions,
} from './writers/index.js';
