/**
 * The three format modules by name, imported eagerly: planning and schema
 * reading on the calling thread need them all. Workers read units through
 * read-unit.ts, which loads only the module of the unit's format.
 */
import { arrowFormat } from './arrow/module.js';
import { csvFormat } from './csv/format.js';
import type { FormatModule } from './format.js';
import { parquetFormat } from './parquet/index.js';
import type { DataFormat } from './types.js';

const FORMATS: Readonly<Record<DataFormat, FormatModule>> = {
  parquet: parquetFormat,
  arrow: arrowFormat,
  csv: csvFormat,
};

/** The module that reads `format`. */
export function formatModule(format: DataFormat): FormatModule {
  return FORMATS[format];
}
