/**
 * Compares two Arrow schemas field by field — names, nullability, types with
 * every parameter (widths, units, time zones, decimal scale, dictionary ids
 * and index types), children — and names the first difference. apache-arrow's
 * own comparator treats every Decimal as equal, so it is not used.
 */
import type { DataType, Field, Schema } from 'apache-arrow';

/** Type parameters that change how a column's bytes are read. */
const PARAMETERS = [
  'bitWidth',
  'isSigned',
  'precision',
  'scale',
  'unit',
  'timezone',
  'byteWidth',
  'listSize',
  'keysSorted',
  'mode',
  'id',
  'isOrdered',
] as const;

/** A type as a string holding its id and every parameter, nested types included. */
export function typeSignature(type: DataType): string {
  const t = type as unknown as Record<string, unknown>;
  const parts = [`${String(type.typeId)}`];
  for (const key of PARAMETERS) {
    if (t[key] !== undefined && t[key] !== null) parts.push(`${key}=${String(t[key])}`);
  }
  const typeIds = t.typeIds;
  if (typeIds !== undefined && typeIds !== null) parts.push(`typeIds=${String(typeIds)}`);
  const indices = t.indices as DataType | undefined;
  if (indices !== undefined && indices !== null) parts.push(`indices=${typeSignature(indices)}`);
  const dictionary = t.dictionary as DataType | undefined;
  if (dictionary !== undefined && dictionary !== null) {
    parts.push(`dictionary=${typeSignature(dictionary)}`);
  }
  return `${describe(type)}(${parts.join(',')})`;
}

const describe = (type: DataType): string => {
  try {
    return String(type);
  } catch {
    return `#${String(type.typeId)}`;
  }
};

/** The first difference between the fields, as "column c: …", or null when they agree. */
function fieldsDiffer(
  left: readonly Field[],
  right: readonly Field[],
  path: string,
  names: readonly [string, string],
): string | null {
  if (left.length !== right.length) {
    return `${path === '' ? 'the schema' : `column ${path}`} has ${left.length} fields in ${names[0]}, ${right.length} in ${names[1]}`;
  }
  for (let i = 0; i < left.length; i += 1) {
    const a = left[i] as Field;
    const b = right[i] as Field;
    const name = `${path}${String(a.name)}`;
    if (a.name !== b.name) {
      return `field ${path}${i} is named ${JSON.stringify(a.name)} in ${names[0]}, ${JSON.stringify(b.name)} in ${names[1]}`;
    }
    if (a.nullable !== b.nullable) {
      return `column ${name} is ${a.nullable ? '' : 'not '}nullable in ${names[0]}, ${b.nullable ? '' : 'not '}nullable in ${names[1]}`;
    }
    const sa = typeSignature(a.type);
    const sb = typeSignature(b.type);
    if (sa !== sb) {
      return `column ${name} is ${describe(a.type)} in ${names[0]}, ${describe(b.type)} in ${names[1]}${describe(a.type) === describe(b.type) ? ` (${sa} vs ${sb})` : ''}`;
    }
    const children = fieldsDiffer(a.type.children ?? [], b.type.children ?? [], `${name}.`, names);
    if (children !== null) return children;
  }
  return null;
}

/**
 * The first difference between two schemas (`names` say where each came
 * from, e.g. "the footer", "the schema message"), or null when they agree.
 */
export function schemaDifference(
  left: Schema,
  right: Schema,
  names: readonly [string, string],
): string | null {
  return fieldsDiffer(left.fields, right.fields, '', names);
}
