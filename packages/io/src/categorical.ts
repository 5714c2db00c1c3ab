/**
 * Categorical (factor) columns: the level table every format's reader uses to
 * turn text into integer codes, one per (unit, column).
 *
 * A categorical column comes out of readUnit as `ColumnBatch.columns[j]`
 * holding codes (exact small integers in a Float64Array) and
 * `ColumnBatch.levels[j]` holding the level strings the codes index. The
 * levels of one unit grow as its rows are read: a unit has one list per
 * column, the same array object in every batch of the unit, only ever
 * appended to, so a code keeps its meaning across the batches of a unit (not
 * across units: merge by text). The list is unsorted; it holds only values
 * that occur in the unit's rows read so far (never a dictionary entry no row
 * uses), so its length is bounded by the rows read.
 *
 * Costs: a value whose bytes were seen before costs one hash of its bytes and
 * one byte comparison (no string is made); a new byte sequence is decoded
 * once. Invalid UTF-8 decodes with U+FFFD replacement characters (never an
 * error), and a leading byte-order mark is kept, so the text is the stored
 * bytes as a string; two byte sequences that decode to the same text (only
 * possible with invalid UTF-8) share one level.
 */

/** The levels of a boolean column read as a category: code 0 is false, code 1 is true (R's spelling). */
export const BOOLEAN_LEVELS: readonly string[] = Object.freeze(['FALSE', 'TRUE']);

/** UTF-8 with replacement characters, keeping a leading BOM (the text exactly as stored). */
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });

/** Decodes bytes[start, end) as UTF-8 text (see the module comment). */
export function decodeText(bytes: Uint8Array, start: number, end: number): string {
  return decoder.decode(bytes.subarray(start, end));
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Text values of one column in one unit → dense codes 0, 1, 2, … in order of
 * first appearance, with their strings in `levels`.
 */
export class LevelTable {
  /** The level strings; code c is levels[c]. Grows; never reordered. */
  readonly levels: string[] = [];
  /**
   * Text → code for every level, built on the first internText call (bytes
   * alone need no such map: distinct valid UTF-8 byte sequences are distinct
   * texts).
   */
  private codeOfText: Map<string, number> | null = null;
  /** Text → code for the levels holding U+FFFD, the only texts two byte sequences can share. */
  private readonly replaced = new Map<string, number>();
  /** Open addressing over distinct byte sequences ("keys"): key index + 1, or 0 for empty. */
  private slots = new Int32Array(64);
  private keyStart = new Int32Array(32);
  private keyLength = new Int32Array(32);
  private keyHash = new Int32Array(32);
  private keyCode = new Int32Array(32);
  private keys = 0;
  /** The bytes of every key, back to back. */
  private arena = new Uint8Array(1024);
  private arenaUsed = 0;

  /** The code of the text in bytes[start, end) (0 ≤ start ≤ end ≤ bytes.length). */
  intern(bytes: Uint8Array, start: number, end: number): number {
    let h = FNV_OFFSET;
    for (let i = start; i < end; i++) h = Math.imul(h ^ (bytes[i] as number), FNV_PRIME);
    const length = end - start;
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = h & mask;
    for (;;) {
      const k = (slots[s] as number) - 1;
      if (k < 0) break;
      if (this.keyHash[k] === h && this.keyLength[k] === length) {
        const at = this.keyStart[k] as number;
        const arena = this.arena;
        let same = true;
        for (let i = 0; i < length; i++) {
          if (arena[at + i] !== bytes[start + i]) {
            same = false;
            break;
          }
        }
        if (same) return this.keyCode[k] as number;
      }
      s = (s + 1) & mask;
    }
    const text = decodeText(bytes, start, end);
    let code: number;
    if (this.codeOfText !== null) code = this.internText(text);
    else if (text.includes('\uFFFD')) {
      code = this.replaced.get(text) ?? this.add(text);
      this.replaced.set(text, code);
    } else code = this.add(text);
    this.addKey(bytes, start, end, h, code, s);
    return code;
  }

  /** The code of `text` (for readers that receive strings rather than bytes). */
  internText(text: string): number {
    if (this.codeOfText === null) {
      this.codeOfText = new Map(this.levels.map((level, code) => [level, code]));
    }
    let code = this.codeOfText.get(text);
    if (code === undefined) {
      code = this.add(text);
      this.codeOfText.set(text, code);
    }
    return code;
  }

  /** A new level. */
  private add(text: string): number {
    this.levels.push(text);
    return this.levels.length - 1;
  }

  private addKey(
    bytes: Uint8Array,
    start: number,
    end: number,
    hash: number,
    code: number,
    slot: number,
  ): void {
    const length = end - start;
    if (this.arenaUsed + length > this.arena.length) {
      const grown = new Uint8Array(Math.max(2 * this.arena.length, this.arenaUsed + length));
      grown.set(this.arena.subarray(0, this.arenaUsed));
      this.arena = grown;
    }
    this.arena.set(bytes.subarray(start, end), this.arenaUsed);
    const k = this.keys;
    if (k === this.keyStart.length) {
      this.keyStart = grow(this.keyStart);
      this.keyLength = grow(this.keyLength);
      this.keyHash = grow(this.keyHash);
      this.keyCode = grow(this.keyCode);
    }
    this.keyStart[k] = this.arenaUsed;
    this.keyLength[k] = length;
    this.keyHash[k] = hash;
    this.keyCode[k] = code;
    this.arenaUsed += length;
    this.keys = k + 1;
    this.slots[slot] = k + 1;
    // Keep the load factor at most 1/2.
    if (2 * this.keys > this.slots.length) this.rehash();
  }

  private rehash(): void {
    const slots = new Int32Array(2 * this.slots.length);
    const mask = slots.length - 1;
    for (let k = 0; k < this.keys; k++) {
      let s = (this.keyHash[k] as number) & mask;
      while (slots[s] !== 0) s = (s + 1) & mask;
      slots[s] = k + 1;
    }
    this.slots = slots;
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(2 * a.length);
  out.set(a);
  return out;
}

/** The message of the error for a column that cannot be read as a category. */
export function notCategoricalProblem(sourceType: string): string {
  return `type ${sourceType} cannot be read as a category`;
}
