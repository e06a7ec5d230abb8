// What to alert and when: pure functions, no imports, no clock, no I/O (src/alerts/alert-service.ts
// gathers the facts, sends what this decides and keeps the state).

/** The kinds of alert; `test` is only sent by hand (the Settings page's button). */
export type AlertKind = 'keys_low' | 'key_dead' | 'credit_low' | 'error_rate' | 'test';

/** The kinds the scheduled check decides. */
export const ALERT_KINDS = ['keys_low', 'key_dead', 'credit_low', 'error_rate'] as const;

/** Fewer requests than this in a window say nothing about an error rate. */
export const MIN_REQUESTS_FOR_RATE = 10;

/** Most key hints one `key_dead` alert lists (the count says how many in all). */
export const MAX_LISTED_KEYS = 20;

/** The admin's rules; null turns a rule off. */
export interface AlertRules {
  /** Alert when fewer keys than this are usable (active). */
  min_usable_keys: number | null;
  /** Alert when a key turns invalid or exhausted. */
  key_dead: boolean;
  /** Alert when the credit left, over the enabled keys that report a limit, falls under this (USD). */
  min_credit: number | null;
  /** Alert when more than this share (0 to 1) of the window's requests failed by the pool's fault. */
  max_error_rate: number | null;
  /** Each alert at most once per window (minutes); the error rate is that of the last window. */
  window_minutes: number;
}

/** A key that is invalid or exhausted now: its id and hint, never the key. */
export interface DeadKey {
  id: string;
  hint: string;
  status: 'invalid' | 'exhausted';
}

/** What the check saw. */
export interface PoolFacts {
  usableKeys: number;
  totalKeys: number;
  deadKeys: DeadKey[];
  /** Credit left summed over the enabled keys that report a limit; null when none has told it. */
  creditLeft: number | null;
  /** Requests of the last window, and those that failed by no fault of the client. */
  requests: number;
  failed: number;
}

/** What the check remembers between runs (one small record). */
export interface AlertState {
  /** When each kind was last sent (epoch ms). */
  sent: Partial<Record<AlertKind, number>>;
  /** The ids of the dead keys already reported (or dead when the check first ran); null before the first run. */
  dead: string[] | null;
}

/** One alert, with the figures its message quotes. */
export interface Alert {
  kind: AlertKind;
  /** Epoch ms. */
  at: number;
  window_minutes: number;
  usable_keys?: number;
  total_keys?: number;
  threshold?: number;
  /** Hints and statuses of the keys that turned invalid or exhausted (at most {@link MAX_LISTED_KEYS}). */
  keys?: Array<{ hint: string; status: DeadKey['status'] }>;
  /** How many keys turned invalid or exhausted, listed or not. */
  key_count?: number;
  credit_left?: number;
  requests?: number;
  failed?: number;
  error_rate?: number;
}

/** The state before the first run. */
export const EMPTY_ALERT_STATE: AlertState = { sent: {}, dead: null };

/**
 * Decides the alerts of one check: each rule that holds and was not sent within the window.
 * A dead key is reported once, when it turns dead (keys dead at the first run are taken as
 * known); one that comes back and dies again is reported again. Keys that die while the
 * `key_dead` alert waits out its window are reported when the window ends.
 */
export function decideAlerts(
  rules: AlertRules,
  facts: PoolFacts,
  state: AlertState,
  now: number,
): { alerts: Alert[]; state: AlertState; changed: boolean } {
  const windowMs = rules.window_minutes * 60_000;
  const due = (kind: AlertKind) => {
    const last = state.sent[kind];
    return last === undefined || now - last >= windowMs || now < last;
  };
  const alerts: Alert[] = [];
  const base = { at: now, window_minutes: rules.window_minutes };

  if (rules.min_usable_keys !== null && facts.usableKeys < rules.min_usable_keys && due('keys_low'))
    alerts.push({
      kind: 'keys_low',
      ...base,
      usable_keys: facts.usableKeys,
      total_keys: facts.totalKeys,
      threshold: rules.min_usable_keys,
    });

  const deadNow = new Set(facts.deadKeys.map((k) => k.id));
  // Known dead keys that recovered drop out, so that dying again is news.
  let known = state.dead === null ? [...deadNow] : state.dead.filter((id) => deadNow.has(id));
  if (state.dead !== null) {
    const knownSet = new Set(known);
    const fresh = facts.deadKeys.filter((k) => !knownSet.has(k.id));
    if (!rules.key_dead) known = [...deadNow];
    else if (fresh.length > 0 && due('key_dead')) {
      alerts.push({
        kind: 'key_dead',
        ...base,
        keys: fresh.slice(0, MAX_LISTED_KEYS).map((k) => ({ hint: k.hint, status: k.status })),
        key_count: fresh.length,
        usable_keys: facts.usableKeys,
        total_keys: facts.totalKeys,
      });
      known = [...known, ...fresh.map((k) => k.id)];
    }
  }

  if (
    rules.min_credit !== null &&
    facts.creditLeft !== null &&
    facts.creditLeft < rules.min_credit &&
    due('credit_low')
  )
    alerts.push({ kind: 'credit_low', ...base, credit_left: facts.creditLeft, threshold: rules.min_credit });

  if (
    rules.max_error_rate !== null &&
    facts.requests >= MIN_REQUESTS_FOR_RATE &&
    facts.failed / facts.requests > rules.max_error_rate &&
    due('error_rate')
  )
    alerts.push({
      kind: 'error_rate',
      ...base,
      requests: facts.requests,
      failed: facts.failed,
      error_rate: facts.failed / facts.requests,
      threshold: rules.max_error_rate,
    });

  const sent = { ...state.sent };
  for (const alert of alerts) sent[alert.kind] = now;
  const next: AlertState = { sent, dead: known };
  const changed = alerts.length > 0 || !sameIds(state.dead, known);
  return { alerts, state: next, changed };
}

function sameIds(a: string[] | null, b: string[]): boolean {
  if (a === null || a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}
