import type { KeyError, KeyHealth, KeyState } from './key-state';

/**
 * How keys are stored (see docs/storage-schema.md). The admin's record and
 * the runtime's state are two entries, so that a state write can never undo
 * an admin's change (a stale write must not revive a disabled key).
 * Everything a listing needs is in `meta`, so the whole pool loads with one
 * `list` per 1,000 keys and no `get`.
 */
export const KEY_PREFIX = 'key:';
export const STATE_PREFIX = 'ks:';

/** The admin's record of an upstream key: `key:<id>`. */
export interface KeyRecordMeta {
  /** The key itself. */
  s: string;
  /** Label. */
  l: string;
  /** Enabled: 1 or 0. */
  e: 0 | 1;
  /** Created at (ms). */
  c: number;
  /** Updated at (ms). */
  u: number;
}

/** What a health check learned of a key's credit (OpenRouter's GET /key). */
export interface KeyCredit {
  limit: number | null;
  remaining: number | null;
  reset: string | null;
  usage: number | null;
  usageDaily: number | null;
  usageMonthly: number | null;
  freeTier: boolean | null;
  expiresAt: string | null;
  freeRequestsLeft: number | null;
}

/**
 * The runtime's state of a key: `ks:<id>`. A key's refusals per model are not
 * stored (KV metadata holds 1 KB): each isolate learns them with one attempt.
 */
export interface KeyStateMeta {
  h: KeyHealth;
  u: number | null;
  k: number;
  t: number;
  e: KeyError | null;
  /** Last health check (ms). */
  ck?: number | null;
  cr?: KeyCredit | null;
  /** End of a rest for free models only. */
  fu?: number | null;
}

/** Longest error message kept with a key, so the record stays within KV's metadata limit. */
export const MAX_ERROR_MESSAGE = 160;

export function encodeState(
  state: KeyState,
  checkedAt: number | null,
  credit: KeyCredit | null,
): KeyStateMeta {
  const e = state.lastError && {
    ...state.lastError,
    message: state.lastError.message.slice(0, MAX_ERROR_MESSAGE),
  };
  return {
    h: state.health,
    u: state.until,
    k: state.strikes,
    t: state.changedAt,
    e,
    ck: checkedAt,
    cr: credit,
    ...(state.freeUntil ? { fu: state.freeUntil } : {}),
  };
}

export function decodeState(meta: KeyStateMeta): KeyState {
  const state: KeyState = {
    health: meta.h,
    until: meta.u,
    strikes: meta.k,
    lastError: meta.e,
    changedAt: meta.t,
  };
  if (meta.fu) state.freeUntil = meta.fu;
  return state;
}
