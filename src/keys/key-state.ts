/**
 * The state machine of one upstream key, as pure functions.
 *
 *   active ──429──▶ cooldown ──(time passes)──▶ active
 *   active ──401──▶ invalid  ──(health check ok)──▶ active
 *   active ──402──▶ exhausted ──(health check: credit again)──▶ active
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

/** The runtime state of one key. */
export interface KeyState {
  health: KeyHealth;
  /** End of a cooldown; for `exhausted`, when its credit resets (if known). */
  until: number | null;
  /** Consecutive 429s, the exponent of the next backoff. */
  strikes: number;
  lastError: KeyError | null;
  changedAt: number;
}

/** Something that happened to a key. */
export type KeyEvent =
  | { kind: 'success' }
  | { kind: 'rate-limited'; retryAfterMs: number | null; message: string }
  | { kind: 'unauthorized'; message: string }
  | { kind: 'payment-required'; message: string; resetAt?: number | null }
  | { kind: 'transient'; status: number | null; message: string }
  | { kind: 'check-ok' }
  | { kind: 'check-failed'; status: number | null; message: string };

/** Cooldown bounds; `random` in [0, 1) for jitter. */
export interface CooldownPolicy {
  baseMs: number;
  maxMs: number;
  random?: () => number;
}

/** The state of a key nothing has happened to. */
export function initialKeyState(now: number): KeyState {
  return { health: 'active', until: null, strikes: 0, lastError: null, changedAt: now };
}

/** The health in force at `now`: a cooldown that has ended is `active`. */
export function healthAt(state: KeyState, now: number): KeyHealth {
  return state.health === 'cooldown' && (state.until ?? 0) <= now ? 'active' : state.health;
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
  if (before.health === after.health && before.until === after.until) return false;
  const lasting = (s: KeyState) => s.health === 'invalid' || s.health === 'exhausted';
  if (lasting(before) || lasting(after)) return true;
  return after.health === 'cooldown' && (after.until ?? 0) - after.changedAt >= PERSISTED_COOLDOWN_MS;
}
