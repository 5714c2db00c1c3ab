// Snappy raw-format decoder (google/snappy format_description.txt) in
// AssemblyScript, compiled by packages/core/wasm/build.mjs into
// packages/io/src/parquet/fast-path/snappy-binary.ts and driven by
// snappy-wasm.ts, which finds the stream and the page in this module's memory
// when the caller put them there (wasm-arena.ts), else copies them in and out.
//
// It replaces hysnappy (snappy-c by clang): that one copies literals byte by
// byte, and its JS wrapper allocates a fresh output array per page (GC); here
// every element is one 16-byte SIMD store when it can be, long literals and
// copies are memory.copy or 16-byte steps, and the JS side reuses buffers.
//
// Memory: uncompress reads only the stream [inPtr, inPtr + inLen) and the
// output written so far, and writes only the output [outPtr, outPtr + outLen),
// so the caller may place both anywhere in memory — a file read straight into
// it, a batch column the page decodes into — with nothing to spare around
// them. The fast loop moves 16 bytes per element (reading past a short
// literal, writing past an element's end) only where 24 bytes of stream and
// 16 of output remain: bytes written past the element are overwritten by the
// elements that follow, and a copy from 16 or more back reads only bytes
// already final, even when it overlaps itself. Near either end the general
// loop reads and writes exactly.
//
// Every length and offset is checked against the stream's and the output's
// ends; a corrupt stream returns a negative code and never reads or writes
// outside its regions.
//
// Pages of random doubles decode to about two elements per double (a short
// literal, a short copy), so speed is set by the time per element, and that
// by the chain ip -> load tag -> next ip: each element's start depends on the
// previous tag. The fast loop keeps that chain to a byte load and one or two
// adds (a copy-1 or copy-2 takes 1 + type bytes; a literal 2 + tag >> 2), and
// everything else (length, offset, the checks) hangs off it where the CPU can
// overlap it with the next element. Table lookups and selects on that chain
// measured slower (bench/io-snappy.mjs); so did unrolling.

/** Returned codes (0: the output was filled exactly). */
const TRUNCATED_LENGTH: i32 = -1; // a literal's length bytes run past the stream
const LITERAL_PAST_END: i32 = -2; // a literal runs past the stream or the output
const TRUNCATED_COPY: i32 = -3; // a copy's offset bytes run past the stream
const COPY_OUT_OF_BOUNDS: i32 = -4; // offset 0, before the output, or past its end
const SHORT_OUTPUT: i32 = -5; // the stream ended before the output was full

/**
 * Per copy tag (types 1 and 2; literal and copy-4 entries 0, unused): bits
 * 0-7 the copy's length; entry >> 8 a copy-1 offset's bits 8-10 in place.
 * Filled at instantiation. The caller's input goes past it: inputAt().
 */
const COPY_TABLE: usize = memory.data(256 * 4, 16);
/** The mask of a copy's offset bytes (little-endian u32 after the tag), by type 0-3. */
const OFFSET_MASKS: usize = memory.data(4 * 4, 16);

function fillTables(): void {
  for (let tag: u32 = 0; tag < 256; tag++) {
    const type = tag & 3;
    let entry: u32 = 0;
    if (type == 1) entry = (((tag >> 2) & 7) + 4) | ((tag >> 5) << 16);
    else if (type == 2) entry = (tag >> 2) + 1;
    store<u32>(COPY_TABLE + (<usize>tag << 2), entry);
  }
  store<u32>(OFFSET_MASKS, 0);
  store<u32>(OFFSET_MASKS, 0xff, 4);
  store<u32>(OFFSET_MASKS, 0xffff, 8);
  store<u32>(OFFSET_MASKS, 0xffffffff, 12);
}
fillTables();

/** Where the caller may place the input: past the tables, 16-byte aligned. */
export function inputAt(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Decode the body of inLen bytes at inPtr into exactly outLen bytes at outPtr. */
export function uncompress(inPtr: usize, inLen: usize, outPtr: usize, outLen: usize): i32 {
  const inEnd = inPtr + inLen;
  const outEnd = outPtr + outLen;
  let ip = inPtr;
  let op = outPtr;
  // The fast loop runs while a short literal (tag + 16 bytes) or any copy-1
  // or copy-2 (3 bytes, 4 read) lies inside the stream and 16 bytes fit in the
  // output: there a literal of at most 16 bytes, or a copy-1/copy-2 of at most
  // 16 bytes from 16 or more back and within the output so far, passes every
  // check of the general loop below and is one 16-byte load and store. Any
  // other element, valid or not, leaves it for one turn of the general loop,
  // so errors are found, and reported, exactly as there.
  const inSafe = inLen > 24 ? inEnd - 24 : inPtr;
  const outSafe = outLen > 16 ? outEnd - 16 : outPtr;
  while (ip < inEnd) {
    while (ip < inSafe && op < outSafe) {
      const tag = <u32>load<u8>(ip);
      if ((tag & 3) == 0) {
        const len = <usize>(tag >> 2) + 1;
        if (len > 16) break;
        v128.store(op, v128.load(ip, 1));
        ip += len + 1;
        op += len;
      } else {
        const type = tag & 3;
        const entry = load<u32>(COPY_TABLE + (<usize>tag << 2));
        const len = <usize>(entry & 0xff);
        const mask = load<u32>(OFFSET_MASKS + (<usize>type << 2));
        const offset = <usize>((load<u32>(ip, 1) & mask) | (entry >> 8));
        // One branch for all the ways out (bitwise |: no short-circuit jumps).
        if ((type == 3) | (len > 16) | (offset < 16) | (offset > op - outPtr)) break;
        v128.store(op, v128.load(op - offset));
        ip += <usize>type + 1;
        op += len;
      }
    }
    // One element the general way.
    const tag = <u32>load<u8>(ip);
    const type = tag & 3;
    if (type == 0) {
      let len = <usize>(tag >> 2) + 1;
      ip += 1;
      if (len > 60) {
        const extra = len - 60;
        if (extra > inEnd - ip) return TRUNCATED_LENGTH;
        // Little-endian length of 1-4 bytes, read byte by byte: not past the stream.
        let raw: usize = 0;
        for (let k: usize = extra; k > 0; k--) raw = (raw << 8) | <usize>load<u8>(ip + k - 1);
        len = raw + 1;
        ip += extra;
      }
      if (len > inEnd - ip || len > outEnd - op) return LITERAL_PAST_END;
      // 16 bytes at once only where 16 remain in the stream and the output.
      if ((len <= 16) & (inEnd - ip >= 16) & (outEnd - op >= 16)) {
        v128.store(op, v128.load(ip));
      } else {
        memory.copy(op, ip, len);
      }
      ip += len;
      op += len;
      continue;
    }
    let len: usize;
    let offset: usize;
    if (type == 1) {
      if (inEnd - ip < 2) return TRUNCATED_COPY;
      len = <usize>((tag >> 2) & 7) + 4;
      offset = <usize>(((tag >> 5) << 8) | <u32>load<u8>(ip, 1));
      ip += 2;
    } else if (type == 2) {
      if (inEnd - ip < 3) return TRUNCATED_COPY;
      len = <usize>(tag >> 2) + 1;
      offset = <usize>load<u16>(ip, 1);
      ip += 3;
    } else {
      if (inEnd - ip < 5) return TRUNCATED_COPY;
      len = <usize>(tag >> 2) + 1;
      offset = <usize>load<u32>(ip, 1);
      ip += 5;
    }
    if (offset == 0 || offset > op - outPtr || len > outEnd - op) return COPY_OUT_OF_BOUNDS;
    const from = op - offset;
    if (len + 15 > outEnd - op) {
      // Near the output's end: exact. Apart, one move; overlapping, the pattern byte by byte.
      if (offset >= len) memory.copy(op, from, len);
      else for (let k: usize = 0; k < len; k++) store<u8>(op + k, load<u8>(from + k));
    } else if (offset >= 16) {
      // Each 16-byte step reads below the bytes it writes: all final.
      for (let k: usize = 0; k < len; k += 16) v128.store(op + k, v128.load(from + k));
    } else if (offset >= 8) {
      for (let k: usize = 0; k < len; k += 8) store<u64>(op + k, load<u64>(from + k));
    } else {
      // Offsets below 8 repeat a short pattern: byte by byte, as the format says.
      for (let k: usize = 0; k < len; k++) store<u8>(op + k, load<u8>(from + k));
    }
    op += len;
  }
  return op == outEnd ? 0 : SHORT_OUTPUT;
}
