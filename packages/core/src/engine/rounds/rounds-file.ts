/**
 * The document between rounds, and the state a model keeps: the merged
 * passes of a fit so far (pass-record.ts), with the options, plan and
 * fingerprint they belong to. `linreg merge` writes it when the fit needs
 * another pass over the data (`next` names it); `linreg partial --model` and
 * `linreg merge --model` read it back; `fit --keep-state` stores it (with
 * `next: null`) in the model file as `"state"`, which `linreg update`
 * extends. JSON, states in base64, with a SHA-256 over the rest
 * (docs/state-format.md "Round documents").
 */
import { IoError, type Plan } from '@linreg/io';
import { canonical, digest } from './fingerprint.js';
import type { PassRecord } from './pass-record.js';

export const ROUNDS_FORMAT = 'linreg-rounds';
/** 2: states in the value encoding (value-codec.ts); 1 held v8.serialize bytes. */
export const ROUNDS_VERSION = 2;

export interface RoundsDocument {
  readonly fingerprint: string;
  readonly spec: Record<string, unknown>;
  readonly plan: Plan;
  readonly passes: readonly PassRecord[];
  /** The kind of the pass the fit needs next, or null when the passes are complete. */
  readonly next: string | null;
}

const HOST_ORDER = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 'little' : 'big';

/** The document as a JSON value (checksummed). */
export function roundsJson(doc: RoundsDocument): Record<string, unknown> {
  const body = {
    format: ROUNDS_FORMAT,
    version: ROUNDS_VERSION,
    byteOrder: HOST_ORDER,
    fingerprint: doc.fingerprint,
    next: doc.next,
    spec: doc.spec,
    plan: doc.plan,
    passes: doc.passes.map((p) => ({
      kind: p.kind,
      counts: p.counts,
      state: p.state === undefined ? null : Buffer.from(p.state).toString('base64'),
    })),
  };
  return { ...body, checksum: digest(JSON.stringify(canonical(body))) };
}

/** The identity of a document's passes, recorded by the next round's partial files. */
export function roundsDigest(json: Readonly<Record<string, unknown>>): string {
  return String(json.checksum);
}

export function parseRoundsJson(value: unknown, name: string): RoundsDocument {
  const fail = (problem: string): never => {
    throw new IoError('bad-format', { file: name }, problem);
  };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail('not a linreg round document');
  }
  const o = value as Record<string, unknown>;
  if (o.format !== ROUNDS_FORMAT) {
    return fail(`not a linreg round document (format ${JSON.stringify(o.format ?? null)})`);
  }
  if (o.version !== ROUNDS_VERSION) {
    fail(
      `round document version ${String(o.version)}; this linreg reads version ${ROUNDS_VERSION}${o.version === 1 ? ' (version 1 held Node v8.serialize states: compute it again with this linreg)' : ''}`,
    );
  }
  const { checksum, ...body } = o;
  if (checksum !== digest(JSON.stringify(canonical(body)))) {
    fail('checksum mismatch: the round document is damaged or was edited');
  }
  if (o.byteOrder !== HOST_ORDER) {
    fail(`written on a ${String(o.byteOrder)}-endian machine; this one is ${HOST_ORDER}-endian`);
  }
  const passes = (
    o.passes as { kind: string; counts: PassRecord['counts']; state: string | null }[]
  ).map((p) => ({
    kind: p.kind,
    counts: p.counts,
    state: p.state === null ? undefined : new Uint8Array(Buffer.from(p.state, 'base64')),
  }));
  return {
    fingerprint: String(o.fingerprint),
    spec: o.spec as Record<string, unknown>,
    plan: o.plan as Plan,
    passes,
    next: (o.next as string | null) ?? null,
  };
}
