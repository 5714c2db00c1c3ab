/**
 * The problem a decoder's exception describes, for an IoError's message. A
 * plain Error from hyparquet or our decoders states what was wrong ("invalid
 * page size"); a TypeError or ReferenceError, or a message about `undefined`,
 * only says which JavaScript operation met damaged data, so it is replaced by
 * `what` was being decoded.
 */
export function decodeProblem(e: unknown, what: string): string {
  if (
    e instanceof Error &&
    !(e instanceof TypeError) &&
    !(e instanceof ReferenceError) &&
    !/\bundefined\b|\bNaN\b/.test(e.message)
  ) {
    return e.message;
  }
  return `malformed ${what} (a field is missing, out of range or of the wrong type)`;
}
