import { IoError } from '@linreg/errors';
import { openBytes } from './bytes/open-bytes.js';
import type { DataFormat } from './types.js';

/**
 * Format detection. The magic bytes win when they are recognised (a file
 * named `.parquet` that is really Arrow is read as Arrow); the extension
 * decides for text (CSV has no magic); an explicit override beats both.
 *
 * Magic bytes: `PAR1` (Parquet), `ARROW1` (Arrow IPC file), `FF FF FF FF`
 * (Arrow IPC stream continuation marker), `1F 8B` (gzip, read as CSV).
 */

/** How the bytes of a file are laid out, finer than DataFormat. */
export type FileKind = 'parquet' | 'arrow-file' | 'arrow-stream' | 'csv' | 'csv-gzip';

const EXTENSIONS: readonly (readonly [suffix: string, kind: FileKind])[] = [
  ['.csv.gz', 'csv-gzip'],
  ['.tsv.gz', 'csv-gzip'],
  ['.txt.gz', 'csv-gzip'],
  ['.parquet', 'parquet'],
  ['.parq', 'parquet'],
  ['.pq', 'parquet'],
  ['.arrow', 'arrow-file'],
  ['.feather', 'arrow-file'],
  ['.ipc', 'arrow-file'],
  ['.arrows', 'arrow-stream'],
  ['.csv', 'csv'],
  ['.tsv', 'csv'],
  ['.txt', 'csv'],
];

/** The kind implied by the file name, or undefined for an unknown extension. */
export function kindFromExtension(file: string): FileKind | undefined {
  const lower = file.toLowerCase();
  for (const [suffix, kind] of EXTENSIONS) if (lower.endsWith(suffix)) return kind;
  return undefined;
}

/** True when a directory listing should pick the file up as data. */
export function isDataFileName(name: string): boolean {
  return kindFromExtension(name) !== undefined;
}

export function formatOfKind(kind: FileKind): DataFormat {
  if (kind === 'parquet') return 'parquet';
  if (kind === 'arrow-file' || kind === 'arrow-stream') return 'arrow';
  return 'csv';
}

/** The default CSV delimiter for a file name: tab for `.tsv`/`.tsv.gz`, else comma. */
export function defaultDelimiter(file: string): string {
  const lower = file.toLowerCase();
  return lower.endsWith('.tsv') || lower.endsWith('.tsv.gz') ? '\t' : ',';
}

/** The kind announced by the first bytes, or undefined when they match no known magic. */
export function kindFromMagic(head: Uint8Array): FileKind | undefined {
  const b = (i: number): number => head[i] ?? -1;
  if (b(0) === 0x50 && b(1) === 0x41 && b(2) === 0x52 && b(3) === 0x31) return 'parquet';
  if (
    b(0) === 0x41 &&
    b(1) === 0x52 &&
    b(2) === 0x52 &&
    b(3) === 0x4f &&
    b(4) === 0x57 &&
    b(5) === 0x31
  ) {
    return 'arrow-file';
  }
  if (b(0) === 0xff && b(1) === 0xff && b(2) === 0xff && b(3) === 0xff) return 'arrow-stream';
  if (b(0) === 0x1f && b(1) === 0x8b) return 'csv-gzip';
  return undefined;
}

/**
 * Reads the first bytes of a file or remote object (bytes/open-bytes.ts);
 * IoError when it is missing, unreadable or empty.
 */
export async function readHead(
  file: string,
  length = 8,
): Promise<{ head: Uint8Array; bytes: number }> {
  const source = await openBytes(file);
  try {
    if (source.size === 0) throw new IoError('empty', { file }, 'file is empty');
    const head = await source.read(0, Math.min(length, source.size), 'first bytes');
    return { head, bytes: source.size };
  } catch (error) {
    if (error instanceof IoError) throw error;
    throw fsError(file, error);
  } finally {
    await source.close();
  }
}

/**
 * Decides how to read `file`. With `override`, only the Arrow file/stream and
 * CSV/gzip distinctions are still taken from the bytes.
 */
export async function detectKind(
  file: string,
  override?: DataFormat,
): Promise<{ kind: FileKind; bytes: number }> {
  const { head, bytes } = await readHead(file);
  const magic = kindFromMagic(head);
  const ext = kindFromExtension(file);
  if (override !== undefined) {
    if (magic !== undefined && formatOfKind(magic) === override) return { kind: magic, bytes };
    if (override === 'arrow') return { kind: 'arrow-file', bytes };
    return { kind: override, bytes };
  }
  if (magic !== undefined) return { kind: magic, bytes };
  if (ext === 'csv') return { kind: 'csv', bytes };
  if (ext === undefined) {
    throw new IoError(
      'unsupported',
      { file },
      'cannot tell the format from the name or the first bytes; pass a format explicitly',
    );
  }
  const expected = ext === 'parquet' ? 'PAR1' : ext === 'csv-gzip' ? '1f 8b' : 'ARROW1 or ffffffff';
  throw new IoError(
    'bad-format',
    { file },
    `not a ${formatOfKind(ext)} file: first bytes ${hex(head)} (expected ${expected})`,
  );
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes.subarray(0, 8), (v) => v.toString(16).padStart(2, '0')).join(' ');
}

/** Maps a node fs error to an IoError naming the file. */
export function fsError(file: string, error: unknown): IoError {
  if (error instanceof IoError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return new IoError('not-found', { file }, 'no such file or directory');
  const message = error instanceof Error ? error.message : String(error);
  return new IoError('unreadable', { file }, message);
}
