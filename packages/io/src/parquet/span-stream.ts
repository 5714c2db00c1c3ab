import type { ByteSource } from '../bytes/byte-source.js';
import type { BufferLease } from './buffer-pool.js';
import { type ByteRange, MAX_GAP, MAX_SPAN, planSpans, type RangePlace } from './chunk-spans.js';

/** Bytes of spans read ahead of the one being decoded (a read runs while a span decodes). */
export const AHEAD_BYTES = 32 * 2 ** 20;

/** How spans are cut and how far reads run ahead (tests use small ones). */
export interface SpanLimits {
  readonly maxSpan: number;
  readonly aheadBytes: number;
}

/**
 * The compressed column chunks a unit reads whole, read as coalesced spans
 * (planSpans) in the order the batch loop first needs them, a bounded number
 * ahead, instead of all at once before the first page is decoded.
 *
 * Why: a unit used to hold its whole projected row group compressed beside
 * the decoded batch — 400 MB more per worker on a 4,000-column file whose
 * row group is one batch — and its worker idled until the last byte of it
 * had arrived. Now decoding starts once the first span is in, the next
 * spans are read while it runs, and a span goes back to the buffer pool (to
 * serve the next read) as soon as every column in it has delivered its last
 * row: for a unit decoded in one batch, at most a span plus AHEAD_BYTES of
 * compressed bytes are held at any time (16 + 32 MiB).
 */
export class SpanStream {
  readonly #bytes: ByteSource;
  readonly #where: string;
  readonly #lease: BufferLease;
  readonly #spans: ByteRange[];
  /** Column j's span and offset, or undefined when j is not read whole. */
  readonly #place: (RangePlace | undefined)[];
  readonly #ranges: (ByteRange | undefined)[];
  /** Names a span's column in a read error when it holds only that one. */
  readonly #alone: (string | undefined)[];
  /** Spans in the order their first column is needed. */
  readonly #order: number[];
  readonly #reads: (Promise<Uint8Array> | undefined)[];
  readonly #buffers: (Uint8Array | undefined)[];
  /** Columns of each span not yet done. */
  readonly #open: number[];
  readonly #ahead: number;
  #next = 0;
  /** At most how many bytes of spans it holds at once (the largest span plus the reads ahead). */
  readonly heldBytes: number;

  /**
   * `ranges[j]`: column j's whole chunk, or null when it is read otherwise.
   * Columns are needed in index order; `names[j]` names column j.
   */
  constructor(
    bytes: ByteSource,
    ranges: readonly (ByteRange | null)[],
    names: readonly string[],
    where: string,
    lease: BufferLease,
    limits: SpanLimits = { maxSpan: MAX_SPAN, aheadBytes: AHEAD_BYTES },
  ) {
    this.#bytes = bytes;
    this.#ahead = limits.aheadBytes;
    this.#where = where;
    this.#lease = lease;
    const whole: ByteRange[] = [];
    const columnOf: number[] = [];
    ranges.forEach((r, j) => {
      if (r === null) return;
      whole.push(r);
      columnOf.push(j);
    });
    const { spans, places } = planSpans(whole, MAX_GAP, limits.maxSpan);
    this.#spans = spans;
    this.#place = ranges.map(() => undefined);
    this.#ranges = ranges.map(() => undefined);
    this.#alone = spans.map(() => undefined);
    this.#open = spans.map(() => 0);
    const members = spans.map(() => 0);
    places.forEach((p, k) => {
      const j = columnOf[k] as number;
      this.#place[j] = p;
      this.#ranges[j] = whole[k];
      this.#open[p.span] = (this.#open[p.span] as number) + 1;
      members[p.span] = (members[p.span] as number) + 1;
      this.#alone[p.span] = names[j];
    });
    members.forEach((m, s) => {
      if (m !== 1) this.#alone[s] = undefined;
    });
    const seen = new Set<number>();
    this.#order = [];
    for (const p of this.#place) {
      if (p === undefined || seen.has(p.span)) continue;
      seen.add(p.span);
      this.#order.push(p.span);
    }
    this.#reads = spans.map(() => undefined);
    this.#buffers = spans.map(() => undefined);
    const lengths = spans.map((r) => r.end - r.start);
    const total = lengths.reduce((a, b) => a + b, 0);
    this.heldBytes = Math.min(total, Math.max(0, ...lengths) + this.#ahead);
  }

  /** Whether column j is read whole through this stream. */
  has(j: number): boolean {
    return this.#place[j] !== undefined;
  }

  /** Column j's chunk bytes (reading its span, and the next ones ahead, if not yet started). */
  async bytesOf(j: number): Promise<Uint8Array> {
    const place = this.#place[j];
    const range = this.#ranges[j];
    if (place === undefined || range === undefined) {
      throw new RangeError(`column ${j} is not read whole`);
    }
    const at = this.#order.indexOf(place.span);
    this.#startThrough(at);
    const span = await (this.#reads[place.span] as Promise<Uint8Array>);
    return span.subarray(place.offset, place.offset + range.end - range.start);
  }

  /** Column j will read no more of its bytes; its span is given back once all its columns are. */
  done(j: number): void {
    const place = this.#place[j];
    if (place === undefined) return;
    this.#place[j] = undefined;
    const left = (this.#open[place.span] as number) - 1;
    this.#open[place.span] = left;
    const buffer = this.#buffers[place.span];
    if (left === 0 && buffer !== undefined) {
      this.#buffers[place.span] = undefined;
      this.#lease.giveBack(buffer);
    }
  }

  /** Waits for every read started (a buffer must not be reused, nor the file closed, under a read). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.#reads.filter((r) => r !== undefined));
  }

  /** Starts the reads of the spans in need order up to `at`, then ahead by AHEAD_BYTES. */
  #startThrough(at: number): void {
    let ahead = 0;
    for (let q = at + 1; q < this.#next; q++) {
      const span = this.#spans[this.#order[q] as number] as ByteRange;
      ahead += span.end - span.start;
    }
    for (let q = this.#next; q < this.#order.length; q++) {
      const s = this.#order[q] as number;
      const span = this.#spans[s] as ByteRange;
      if (q > at) {
        ahead += span.end - span.start;
        if (ahead > this.#ahead) break;
      }
      this.#start(s);
      this.#next = q + 1;
    }
  }

  #start(s: number): void {
    const span = this.#spans[s] as ByteRange;
    const read = this.#bytes
      .read(span.start, span.end, this.#where, this.#alone[s], this.#lease.take)
      .then((b) => {
        this.#buffers[s] = b;
        return b;
      });
    // A read ahead may fail while an earlier span decodes, or after the unit
    // ended early: the failure is reported by the bytesOf that awaits it.
    read.catch(() => {});
    this.#reads[s] = read;
  }
}
