import { type PoolVersion, versionTag } from './pool-version';

/** `key:` is listed at least this often even when `keys:v` says nothing changed (a lost version write). */
export const KEYS_SAFETY_MS = 6 * 60 * 60_000;

/**
 * How long a KV write may take to show in listings everywhere. A listing made
 * sooner after a change may predate it, so `key:` is listed once more after.
 */
export const KV_SETTLE_MS = 60_000;

/** What an isolate knows of its last listings. */
export interface RefreshMarks {
  /** When `key:` was last listed. */
  keysAt: number;
  /** The version in force when `key:` was last listed (see {@link versionTag}). */
  tag: string;
  /** List `key:` again once the clock reaches this (the last change may not have shown yet), or null. */
  settleAt: number | null;
  /** When `ks:` was last listed. */
  statesAt: number;
}

/** How often each prefix is listed without a change. */
export interface RefreshCadence {
  keysSafetyMs: number;
  statesMs: number;
}

/**
 * Which prefixes a refresh lists, given the version record just read:
 * `key:` when the version changed, when the last change may not have shown in
 * the last listing, or at the safety interval; `ks:` on its own cadence.
 */
export function planRefresh(
  marks: RefreshMarks,
  version: PoolVersion | null,
  now: number,
  cadence: RefreshCadence,
): { keys: boolean; states: boolean } {
  const keys =
    versionTag(version) !== marks.tag ||
    (marks.settleAt !== null && now >= marks.settleAt) ||
    now - marks.keysAt >= cadence.keysSafetyMs;
  return { keys, states: now - marks.statesAt >= cadence.statesMs };
}

/** The marks after listing `key:` at `now`, under `version`. */
export function keysListed(marks: RefreshMarks, version: PoolVersion | null, now: number): RefreshMarks {
  const settleAt = version && now < version.v + KV_SETTLE_MS ? version.v + KV_SETTLE_MS : null;
  return { ...marks, keysAt: now, tag: versionTag(version), settleAt };
}
