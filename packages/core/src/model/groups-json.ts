/**
 * The model file of a grouped fit (`fit --by`): one document holding each
 * group's key and its model, each model a normal model object
 * (docs/model-format.md, "Per-group models"):
 *
 *   { "format": "linreg-model-groups", "version": 1, "by": ["store"],
 *     "groups": [{ "key": { "store": 3 }, "model": { "format": "linreg-model", … } }] }
 *
 * `parseModelGroups` validates the document and every model with parseModel's
 * checks; `isModelGroupsText` tells the two kinds of model file apart.
 */
import { ModelFormatError } from '@linreg/errors';
import { hasFormat, parseJsonText, readDocumentHeader } from './document-json.js';
import { describe, FieldReader, type Json } from './field-reader.js';
import { jsonChunks } from './json-chunks.js';
import type { LinregModel } from './model.js';
import { joinChunks, parseModelValue } from './model-json.js';

export const MODEL_GROUPS_FORMAT = 'linreg-model-groups';
export const MODEL_GROUPS_VERSION = 1;

export interface ModelGroup {
  readonly key: Readonly<Record<string, string | number>>;
  readonly model: LinregModel;
}

export interface ModelGroups {
  readonly format: typeof MODEL_GROUPS_FORMAT;
  readonly version: number;
  readonly by: readonly string[];
  readonly groups: readonly ModelGroup[];
}

export function modelGroupsOf(by: readonly string[], groups: readonly ModelGroup[]): ModelGroups {
  return {
    format: MODEL_GROUPS_FORMAT,
    version: MODEL_GROUPS_VERSION,
    by: [...by],
    groups: groups.map((g) => ({ key: g.key, model: g.model })),
  };
}

/** Pretty-printed JSON, non-finite numbers as null (as modelToJson). */
export function modelGroupsToJson(doc: ModelGroups): string {
  return joinChunks(jsonChunks(doc));
}

/** One group as one JSON line (`fit --by --json`): `{"key":…,"model":…}`. */
export function modelGroupLine(group: ModelGroup): string {
  try {
    return `${JSON.stringify({ key: group.key, model: group.model }, (_key, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? null : value))}\n`;
  } catch (error) {
    // A wide model's line is longer than the largest string: a one-line error, not a RangeError.
    if (!(error instanceof RangeError)) throw error;
    const m = group.model.coefficients.length;
    throw new ModelFormatError(
      'model',
      '',
      `a model of ${m} design columns is too large for one JSON line (fit --by --json): write the groups document with -o instead`,
    );
  }
}

/** True when `text` is a groups document (its `format`), without validating it. */
export function isModelGroupsText(text: string): boolean {
  return hasFormat(text, MODEL_GROUPS_FORMAT);
}

export function parseModelGroups(text: string | Uint8Array, source = '<string>'): ModelGroups {
  return parseModelGroupsValue(parseJsonText(new FieldReader(source), text), source);
}

/** parseModelGroups on JSON already parsed (model-file.ts). */
export function parseModelGroupsValue(root: Json, source: string): ModelGroups {
  const r = new FieldReader(source);
  const o = readDocumentHeader(
    r,
    root,
    MODEL_GROUPS_FORMAT,
    MODEL_GROUPS_VERSION,
    'not a per-group model file',
  );
  const by = r.strings(o.by, 'by');
  if (by.length === 0) r.fail('by', 'expected at least one column');
  const groups = r.array(o.groups, 'groups').map((value, g) => {
    const path = `groups[${g}]`;
    const group = r.object(value, path);
    const keyObject = r.object(group.key, `${path}.key`);
    const key: Record<string, string | number> = {};
    for (const name of by) {
      const v = keyObject[name];
      if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) key[name] = v;
      else r.fail(`${path}.key.${name}`, `expected a number or a string, got ${describe(v)}`);
    }
    if (Object.keys(keyObject).length !== by.length) {
      r.fail(`${path}.key`, `expected exactly the columns ${by.join(', ')}`);
    }
    const model = parseModelValue(group.model, `${source}: ${path}.model`);
    return { key, model };
  });
  return { format: MODEL_GROUPS_FORMAT, version: MODEL_GROUPS_VERSION, by, groups };
}
