import { IoError } from '@linreg/errors';
import type { FileMetaData } from 'hyparquet';
import { parquetMetadata } from 'hyparquet';
import type { ByteSource } from '../bytes/byte-source.js';
import { decodeProblem } from './decode-error.js';

const MAGIC = 0x31524150; // 'PAR1' little-endian
const MAGIC_ENCRYPTED = 0x45524150; // 'PARE'

/**
 * Read and parse the footer of a Parquet file, touching only its last bytes:
 * `... <FileMetaData (thrift)> <u32 length> "PAR1"`. Tells a truncated file
 * (PAR1 at the start but not at the end) from one that is not Parquet at all.
 */
export async function readFooter(bytes: ByteSource): Promise<FileMetaData> {
  const file = bytes.file;
  if (bytes.size === 0) throw new IoError('empty', { file }, 'file is empty');
  const head = await bytes.read(0, Math.min(4, bytes.size), 'header');
  const headMagic = head.length === 4 && readU32(head, 0) === MAGIC;
  if (bytes.size < 12) {
    throw new IoError(
      headMagic ? 'truncated' : 'bad-format',
      { file },
      `only ${bytes.size} bytes, too short for Parquet`,
    );
  }
  const tail = await bytes.read(bytes.size - 8, bytes.size, 'footer');
  const tailMagic = readU32(tail, 4);
  if (tailMagic === MAGIC_ENCRYPTED)
    throw new IoError('unsupported', { file }, 'encrypted Parquet files are not supported');
  if (tailMagic !== MAGIC) {
    if (headMagic)
      throw new IoError(
        'truncated',
        { file, where: 'footer' },
        'no PAR1 at the end: the file was cut short',
      );
    throw new IoError('bad-format', { file }, 'not a Parquet file (no PAR1 magic)');
  }
  if (!headMagic)
    throw new IoError('bad-format', { file }, 'not a Parquet file (no PAR1 magic at the start)');
  const length = readU32(tail, 0);
  if (length + 12 > bytes.size) {
    throw new IoError(
      'corrupt',
      { file, where: 'footer' },
      `metadata length ${length} exceeds the file of ${bytes.size} bytes`,
    );
  }
  const footer = await bytes.read(bytes.size - 8 - length, bytes.size, 'footer');
  let metadata: FileMetaData;
  try {
    metadata = parquetMetadata(footer);
  } catch (e: unknown) {
    throw new IoError(
      'corrupt',
      { file, where: 'footer' },
      `unreadable metadata: ${decodeProblem(e, 'metadata')}`,
    );
  }
  if (
    !Array.isArray(metadata.schema) ||
    metadata.schema.length === 0 ||
    !Array.isArray(metadata.row_groups)
  ) {
    throw new IoError('corrupt', { file, where: 'footer' }, 'metadata has no schema');
  }
  return metadata;
}

function readU32(b: Uint8Array, at: number): number {
  return (
    ((b[at] as number) |
      ((b[at + 1] as number) << 8) |
      ((b[at + 2] as number) << 16) |
      ((b[at + 3] as number) << 24)) >>>
    0
  );
}
