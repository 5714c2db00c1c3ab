import type { Field, Schema } from 'apache-arrow';
import type { ColumnInfo } from '../types.js';
import { arrowTemporalUnit, isCategoricalArrowType, isNumericArrowType } from './convert.js';

/** The column list of an Arrow schema. */
export function arrowColumns(schema: Schema): ColumnInfo[] {
  return schema.fields.map((field: Field) => ({
    name: field.name,
    sourceType: String(field.type),
    numeric: isNumericArrowType(field.type),
    nullable: field.nullable,
    ...(arrowTemporalUnit(field.type) === null ? {} : { temporal: true }),
    ...(isCategoricalArrowType(field.type) ? { categorical: true } : {}),
  }));
}
