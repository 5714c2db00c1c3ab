/**
 * What must match for states to merge: the options that shape them and the
 * plan's units. Options: the resolved fit spec but `inputs` (paths differ
 * between machines) and `workers` (the answer does not depend on it) and
 * `keepState` (what is written, not what is computed). Plan: per shard its
 * path below the shards' common directory, format, size, row count and hive
 * partition values, and every unit's place (shard, part, byte and row range)
 * — so the same files under another mount point or working directory match,
 * and a file renamed, rewritten to another size or re-split does not.
 * Modification times are left out: copies on cluster nodes differ in them,
 * not in content.
 */
import { createHash } from 'node:crypto';
import { dirname, relative, resolve, sep } from 'node:path';
import type { Plan } from '@linreg/io';
import type { ResolvedFitSpec } from '../../options/index.js';

/**
 * A spec without the machine's options and the paths: of the resolved spec
 * for the fingerprint (so `-y y` and `--target y`, or a default given
 * explicitly, agree), of the spec as given for rebuilding it in merge and
 * update (defaults of options of another solver would not resolve again).
 */
export function recordedSpec(
  spec: Readonly<Record<string, unknown>> | ResolvedFitSpec,
): Record<string, unknown> {
  const {
    inputs: _inputs,
    workers: _workers,
    keepState: _keep,
    ...rest
  } = spec as Record<string, unknown>;
  return rest;
}

/** Object keys sorted, so the text depends on the values alone. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/** The deepest directory holding every file. */
function commonDirectory(files: readonly string[]): string {
  const parts = files.map((f) => dirname(resolve(f)).split(sep));
  const first = parts[0] ?? [];
  let n = first.length;
  for (const p of parts) {
    let k = 0;
    while (k < n && p[k] === first[k]) k += 1;
    n = k;
  }
  return first.slice(0, n).join(sep) || sep;
}

/**
 * The plan as compared across machines: each shard's path below the shards'
 * common directory (so `year=2024/part-0.parquet` stays distinct from
 * `year=2025/part-0.parquet`, and the mount point does not count), sizes and
 * row counts, hive partition values, and the units.
 */
export function planIdentity(plan: Plan): unknown {
  const shardOf = new Map(plan.shards.map((s, i) => [s.file, i]));
  const root = commonDirectory(plan.shards.map((s) => s.file));
  return {
    shards: plan.shards.map((s) => ({
      name: relative(root, resolve(s.file)).split(sep).join('/'),
      format: s.format,
      bytes: s.bytes,
      rows: s.rows,
      partitions: s.partitions ?? null,
    })),
    units: plan.units.map((u) => [
      shardOf.get(u.file) ?? -1,
      u.part,
      u.byteStart,
      u.byteEnd,
      u.rowStart,
      u.rowEnd,
    ]),
  };
}

/** SHA-256 (hex) of the options and the plan. */
export function fitFingerprint(spec: Readonly<Record<string, unknown>>, plan: Plan): string {
  const text = JSON.stringify(canonical({ spec, plan: planIdentity(plan) }));
  return createHash('sha256').update(text).digest('hex');
}

/** SHA-256 (hex) of bytes: the identity of a round's merged passes. */
export const digest = (bytes: Uint8Array | string): string =>
  createHash('sha256').update(bytes).digest('hex');

export { canonical };
