/**
 * The state machine of one upstream key, as pure functions.
 *
 *   active ──429──▶ cooldown ──(time passes)──▶ active
 *   active ──401──▶ invalid  ──(health check ok)──▶ active
 *   active ──402──▶ exhausted ──(health check: credit again)──▶ active
 *
 * Two rests narrower than a health, each data in the state:
 *   a free-model 429 ──▶ `freeUntil`: the key rests for `:free` models only;
 *   a refusal that depends on the key's account (data policy, guardrail)
 *     ──▶ `refusals`: the key skips that model for a while.
 *
 * `disabled` is not a state here: it is the admin's `enabled: false`, kept in
 * another record so that no state write can ever undo it.
 * Errors that are not the key's fault (5xx, timeouts, network) change nothing
 * but `lastError`: the request moves on, the key stays in the rotation.
 */

/** What the runtime knows of a key's health. */
export type KeyHealth = 'active' | 'cooldown' | 'invalid' | 'exhausted';

/** A key's status as shown to users: its health, or `disabled`. */
export type KeyStatus = KeyHealth | 'disabled';

/** The last error a key met (never holds the key itself). */
export interface KeyError {
  status: number | null;
  message: string;
  at: number;
}

/** A model a key was refused for (its account's data policy or guardrail), until `until`. */
export interface KeyRefusal {
  model: string;
  until: number;
  status: number | null;
}

/** The runtime state of one key. */
export interface KeyState {
  health: KeyHealth;
  /** End of a cooldown; for `exhausted`, when its credit resets (if known). */
  until: number | null;
  /** Consecutive 429s, the exponent of the next backoff. */
  strikes: number;
  lastError: KeyError | null;
  changedAt: number;
  /** End of a rest for `:free` models only (the account's free-model limit); paid models go on. */
  freeUntil?: number | null;
  /** Models this key is refused for, each until its time (at most {@link MAX_REFUSALS}). */
  refusals?: readonly KeyRefusal[];
}

/** Something that happened to a key. */
export type KeyEvent =
  | { kind: 'success' }
  | { kind: 'rate-limited'; retryAfterMs: number | null; message: string }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'payment-required'; message: string; resetAt?: number | null }
  | { kind: 'transient'; status: number | null; message: string }
  /** A 429 for a `:free` model: rest for free models until `until`. */
  | { kind: 'free-limited'; until: number; message: string }
  /** Refused for this model because of the key's account (data policy, guardrail, its own limit). */
  | { kind: 'refused'; model: string; status: number | null; message: string }
  | { kind: 'check-ok' }
  | { kind: 'check-failed'; status: number | null; message: string };

/** Cooldown bounds; `random` in [0, 1) for jitter. */
export interface CooldownPolicy {
  baseMs: number;
  maxMs: number;
  /** How long a refusal is remembered for its key and model (default {@link REFUSAL_MS}). */
  refusalMs?: number;
  random?: () => number;
}

/** Default of {@link CooldownPolicy.refusalMs}: 30 minutes. */
export const REFUSAL_MS = 30 * 60_000;

/** Most refusals remembered per key (the oldest goes first). */
export const MAX_REFUSALS = 16;

/** The state of a key nothing has happened to. */
export function initialKeyState(now: number): KeyState {
  return { health: 'active', until: null, strikes: 0, lastError: null, changedAt: now };
}

/** The health in force at `now`: a cooldown that has ended is `active`. */
export function healthAt(state: KeyState, now: number): KeyHealth {
  return state.health === 'cooldown' && (state.until ?? 0) <= now ? 'active' : state.health;
}

/**
 * Why a usable key must not take a request for `model` now: `free` (resting
 * for free models), `refused` (refused for this model), or null when it may.
 */
export function restFor(state: KeyState, model: string | null, now: number): 'free' | 'refused' | null {
  if (!model) return null;
  if ((state.freeUntil ?? 0) > now && model.endsWith(':free')) return 'free';
  const refusals = state.refusals;
  if (refusals) for (const r of refusals) if (r.model === model && r.until > now) return 'refused';
  return null;
}

/** When the key may take a request for `model` again, if it rests for it. */
export function restEndsAt(state: KeyState, model: string | null, now: number): number | null {
  const rest = restFor(state, model, now);
  if (rest === 'free') return state.freeUntil ?? null;
  if (rest === 'refused') {
    let end = 0;
    for (const r of state.refusals ?? []) if (r.model === model) end = Math.max(end, r.until);
    return end;
  }
  return null;
}

/** The status shown for a key. */
export function statusOf(enabled: boolean, state: KeyState, now: number): KeyStatus {
  return enabled ? healthAt(state, now) : 'disabled';
}

/** Exponential backoff with ±20% jitter, capped: base · 2^strikes. */
export function backoffMs(strikes: number, policy: CooldownPolicy): number {
  const raw = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(strikes, 30));
  const jitter = 0.8 + 0.4 * (policy.random ?? Math.random)();
  return Math.min(policy.maxMs, Math.round(raw * jitter));
}

/** The state after `event`. Returns the same object when nothing changed. */
export function nextKeyState(
  state: KeyState,
  event: KeyEvent,
  now: number,
  policy: CooldownPolicy,
): KeyState {
  const error = (status: number | null, message: string): KeyError => ({ status, message, at: now });
  switch (event.kind) {
    case 'success':
      if (healthAt(state, now) === 'active' && state.strikes === 0 && state.health === 'active') return state;
      return { ...state, health: 'active', until: null, strikes: 0, changedAt: now };
    case 'rate-limited': {
      const wait = event.retryAfterMs ?? backoffMs(state.strikes, policy);
      const until = now + Math.min(Math.max(wait, 0), policy.maxMs);
      return {
        health: 'cooldown',
        until,
        strikes: state.strikes + 1,
        lastError: error(429, event.message),
        changedAt: now,
      };
    }
    case 'unauthorized':
      return {
        health: 'invalid',
        until: null,
        strikes: 0,
        lastError: error(401, event.message),
        changedAt: now,
      };
    case 'payment-required':
      return {
        health: 'exhausted',
        until: event.resetAt ?? null,
        strikes: 0,
        lastError: error(402, event.message),
        changedAt: now,
      };
    case 'transient':
      return { ...state, lastError: error(event.status, event.message) };
    case 'free-limited':
      return { ...state, freeUntil: event.until, lastError: error(429, event.message) };
    case 'refused': {
      const until = now + (policy.refusalMs ?? REFUSAL_MS);
      const kept = (state.refusals ?? []).filter((r) => r.until > now && r.model !== event.model);
      const refusals = [
        ...kept.slice(-(MAX_REFUSALS - 1)),
        { model: event.model, until, status: event.status },
      ];
      return { ...state, refusals, lastError: error(event.status, event.message) };
    }
    case 'check-ok':
      if (state.health === 'invalid' || state.health === 'exhausted') {
        return { ...state, health: 'active', until: null, strikes: 0, changedAt: now };
      }
      return state;
    case 'check-failed':
      return { ...state, lastError: error(event.status, event.message) };
  }
}

/** Cooldowns shorter than this live only in memory: KV's own propagation takes about a minute. */
export const PERSISTED_COOLDOWN_MS = 5 * 60_000;

/**
 * True when the change is worth persisting: a key became or stopped being
 * invalid or exhausted, or entered a long cooldown. Short cooldowns end by
 * themselves before another isolate would even read them, so they cost no write.
 */
export function healthChanged(before: KeyState, after: KeyState): boolean {
  // A long free-model rest (the daily quota) is shared; a minute's rest is not worth a write.
  const freeUntil = after.freeUntil ?? null;
  if (
    freeUntil !== (before.freeUntil ?? null) &&
    freeUntil !== null &&
    freeUntil - (after.lastError?.at ?? after.changedAt) >= PERSISTED_COOLDOWN_MS
  )
    return true;
  if (before.health === after.health && before.until === after.until) return false;
  const lasting = (s: KeyState) => s.health === 'invalid' || s.health === 'exhausted';
  if (lasting(before) || lasting(after)) return true;
  return after.health === 'cooldown' && (after.until ?? 0) - after.changedAt >= PERSISTED_COOLDOWN_MS;
}
