/**
 * A model file of any kind, from its bytes: one model, the groups document
 * of `fit --by`, or the targets document of several targets. The bytes are
 * parsed once (json-bytes.ts: a wide model's file is not decoded to one
 * string) and the `format` field says which reader validates them.
 */
import { parseJsonText } from './document-json.js';
import { FieldReader } from './field-reader.js';
import { MODEL_GROUPS_FORMAT, type ModelGroups, parseModelGroupsValue } from './groups-json.js';
import type { LinregModel } from './model.js';
import { parseModelValue } from './model-json.js';
import { MODEL_TARGETS_FORMAT, type ModelTargets, parseModelTargetsValue } from './targets-json.js';

export type ModelFile =
  | { readonly model: LinregModel }
  | { readonly groups: ModelGroups }
  | { readonly targets: ModelTargets };

/** Parse and validate a model file of any kind; `source` names it in errors (ModelFormatError). */
export function parseModelFile(bytes: string | Uint8Array, source = '<string>'): ModelFile {
  const root = parseJsonText(new FieldReader(source), bytes);
  const format =
    typeof root === 'object' && root !== null ? (root as { format?: unknown }).format : undefined;
  if (format === MODEL_TARGETS_FORMAT) return { targets: parseModelTargetsValue(root, source) };
  if (format === MODEL_GROUPS_FORMAT) return { groups: parseModelGroupsValue(root, source) };
  return { model: parseModelValue(root, source) };
}
