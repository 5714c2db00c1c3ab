/**
 * The model file of a multi-target fit (`cbind(y1, y2) ~ …`, `--target
 * y1,y2`; R's `mlm`): one document listing each target's model, each a
 * normal model object (docs/model-format.md, "Several targets"), all sharing
 * the design — the same features, and for a formula the same terms with
 * their own response:
 *
 *   { "format": "linreg-model-targets", "version": 1, "targets": ["y1", "y2"],
 *     "models": [{ "format": "linreg-model", "target": "y1", … }, …] }
 *
 * `models[i]` is a complete version-2 model, so code that reads one model
 * reads each of them as it is. `parseModelTargets` validates the document
 * and every model with parseModel's checks; `isModelTargetsText` tells the
 * kinds of model file apart.
 */
import { hasFormat, parseJsonText, readDocumentHeader } from './document-json.js';
import { FieldReader, type Json } from './field-reader.js';
import { jsonChunks } from './json-chunks.js';
import type { LinregModel } from './model.js';
import { joinChunks, parseModelValue } from './model-json.js';

export const MODEL_TARGETS_FORMAT = 'linreg-model-targets';
export const MODEL_TARGETS_VERSION = 1;

export interface ModelTargets {
  readonly format: typeof MODEL_TARGETS_FORMAT;
  readonly version: number;
  /** The targets in the order given, each its model's `target`. */
  readonly targets: readonly string[];
  readonly models: readonly LinregModel[];
}

export function modelTargetsOf(models: readonly LinregModel[]): ModelTargets {
  return {
    format: MODEL_TARGETS_FORMAT,
    version: MODEL_TARGETS_VERSION,
    targets: models.map((m) => m.target),
    models: [...models],
  };
}

/** Pretty-printed JSON, non-finite numbers as null (as modelToJson). */
export function modelTargetsToJson(doc: ModelTargets): string {
  return joinChunks(jsonChunks(doc));
}

/** True when `text` is a multi-target document (its `format`), without validating it. */
export function isModelTargetsText(text: string): boolean {
  return hasFormat(text, MODEL_TARGETS_FORMAT);
}

export function parseModelTargets(text: string | Uint8Array, source = '<string>'): ModelTargets {
  return parseModelTargetsValue(parseJsonText(new FieldReader(source), text), source);
}

/** parseModelTargets on JSON already parsed (model-file.ts). */
export function parseModelTargetsValue(root: Json, source: string): ModelTargets {
  const r = new FieldReader(source);
  const o = readDocumentHeader(
    r,
    root,
    MODEL_TARGETS_FORMAT,
    MODEL_TARGETS_VERSION,
    'not a multi-target model file',
  );
  const targets = r.strings(o.targets, 'targets');
  if (targets.length < 2) r.fail('targets', 'expected at least two targets');
  const models = r
    .array(o.models, 'models')
    .map((value, i) => parseModelValue(value, `${source}: models[${i}]`));
  if (models.length !== targets.length) {
    r.fail('models', `expected one model per target (${targets.length}), got ${models.length}`);
  }
  models.forEach((m, i) => {
    if (m.target !== targets[i]) {
      r.fail(`models[${i}].target`, `expected '${targets[i]}', got '${m.target}'`);
    }
    const first = models[0] as LinregModel;
    if (m.features.join('\u0000') !== first.features.join('\u0000')) {
      r.fail(`models[${i}].features`, 'every target must have the same features');
    }
  });
  return { format: MODEL_TARGETS_FORMAT, version: MODEL_TARGETS_VERSION, targets, models };
}
