/**
 * What every model file shares before its own fields: the JSON text parsed
 * with a syntax error named by file, and a `format`/`version` header checked
 * against what this reader writes. The single-model file (model-json.ts) and
 * the documents of several models (groups-json.ts, targets-json.ts) read
 * their headers here, so a wrong file is refused in the same words by each.
 */
import { describe, type FieldReader, type Json } from './field-reader.js';
import { parseJsonBytes } from './json-bytes.js';

/**
 * JSON.parse, failing as the file's ModelFormatError (not a SyntaxError) on
 * bad JSON. The file's bytes are read without one string of the whole file
 * when large (json-bytes.ts): a wide model's file may not fit in one.
 */
export function parseJsonText(r: FieldReader, text: string | Uint8Array): Json {
  try {
    return typeof text === 'string' ? JSON.parse(text) : parseJsonBytes(text);
  } catch (error: unknown) {
    return r.fail('', `not valid JSON (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** True when `text` is a JSON object whose `format` is `format`, without validating it. */
export function hasFormat(text: string, format: string): boolean {
  try {
    const root = JSON.parse(text) as Json;
    return (
      typeof root === 'object' && root !== null && (root as Record<string, Json>).format === format
    );
  } catch {
    return false;
  }
}

/** The words of a too-new version: the same in every kind of model file. */
export function newerVersion(version: number, known: number): string {
  return `version ${version} is newer than this reader (${known}); upgrade linreg`;
}

/**
 * The root object of a document of several models, once its `format` is
 * `format` and its `version` is exactly `version`; `kind` ends the wrong-format
 * message (`not a per-group model file`).
 */
export function readDocumentHeader(
  r: FieldReader,
  root: Json,
  format: string,
  version: number,
  kind: string,
): Record<string, Json> {
  const o = r.object(root, '(root)');
  if (o.format !== format) {
    r.fail('format', `expected '${format}', got ${describe(o.format)}: ${kind}`);
  }
  const found = r.finiteNumber(o.version, 'version');
  if (found !== version) {
    r.fail(
      'version',
      found > version ? newerVersion(found, version) : `unsupported version ${found}`,
    );
  }
  return o;
}
