/**
 * The one way readers touch a file's bytes, local or remote: a size and
 * exact reads of byte ranges (plan, fetch and decode apart; see
 * docs/remote-inputs.md). Parquet reads its
 * footer and column chunks through it, Arrow its footer and record batches
 * (through handle.ts for apache-arrow), CSV its ranges (stream.ts), so one
 * remote implementation (http-bytes.ts, s3-bytes.ts) serves all three.
 */
export interface ByteSource {
  /** The path or URL, as named in error messages. */
  readonly file: string;
  readonly size: number;
  /**
   * What identifies this version of the file besides its size: the
   * modification time of a local file, the ETag (else Last-Modified) of a
   * remote object. Caches of parsed footers and the check after each pass
   * compare it.
   */
  readonly version: string;
  /**
   * Bytes [start, end); `where` (and `column`) name the part for an error
   * message. `allocate` supplies the buffer (default: a fresh one). Never
   * returns fewer bytes: a short read is an IoError 'truncated'.
   */
  read(
    start: number,
    end: number,
    where: string,
    column?: string,
    allocate?: (size: number) => Uint8Array,
  ): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** What the check after each pass compares: a file's size and version (see ByteSource). */
export interface SourceStamp {
  readonly size: number;
  readonly version: string;
}
