import { describe, expect, it } from 'vitest';
import {
  backoffMs,
  type CooldownPolicy,
  healthAt,
  healthChanged,
  initialKeyState,
  type KeyEvent,
  type KeyState,
  MAX_REFUSALS,
  nextKeyState,
  PERSISTED_COOLDOWN_MS,
  restEndsAt,
  restFor,
  statusOf,
} from './key-state';

const policy: CooldownPolicy = { baseMs: 1000, maxMs: 60_000, random: () => 0.5 };
const T0 = 1_000_000;

function afterEvents(events: KeyEvent[], start = initialKeyState(T0), step = 10): KeyState {
  let state = start;
  let now = T0;
  for (const event of events) {
    now += step;
    state = nextKeyState(state, event, now, policy);
  }
  return state;
}

const limited = (retryAfterMs: number | null = null): KeyEvent => ({
  kind: 'rate-limited',
  retryAfterMs,
  message: 'slow down',
});

describe('initialKeyState / healthAt / statusOf', () => {
  it('starts active with no error', () => {
    const state = initialKeyState(T0);
    expect(state).toEqual({ health: 'active', until: null, strikes: 0, lastError: null, changedAt: T0 });
    expect(statusOf(true, state, T0)).toBe('active');
  });

  it('shows a cooldown until it ends, then active', () => {
    const state = nextKeyState(initialKeyState(T0), limited(5000), T0, policy);
    expect(healthAt(state, T0 + 4999)).toBe('cooldown');
    expect(healthAt(state, T0 + 5000)).toBe('active');
    expect(statusOf(true, state, T0 + 1)).toBe('cooldown');
  });

  it('shows disabled whatever the health', () => {
    const invalid = nextKeyState(initialKeyState(T0), { kind: 'unauthorized', message: 'no' }, T0, policy);
    expect(statusOf(false, invalid, T0)).toBe('disabled');
    expect(statusOf(false, initialKeyState(T0), T0)).toBe('disabled');
    expect(statusOf(true, invalid, T0)).toBe('invalid');
  });
});

describe('backoffMs', () => {
  it('doubles with each strike and stays within ±20% jitter', () => {
    const fixed = { ...policy, random: () => 0.5 };
    expect(backoffMs(0, fixed)).toBe(1000);
    expect(backoffMs(1, fixed)).toBe(2000);
    expect(backoffMs(3, fixed)).toBe(8000);
    expect(backoffMs(0, { ...policy, random: () => 0 })).toBe(800);
    expect(backoffMs(0, { ...policy, random: () => 0.999_999 })).toBe(1200);
  });

  it('never exceeds the maximum, even with huge strike counts', () => {
    for (const strikes of [6, 10, 50, 1000, Number.MAX_SAFE_INTEGER]) {
      expect(backoffMs(strikes, { ...policy, random: () => 0.999 })).toBe(60_000);
    }
  });
});

describe('nextKeyState', () => {
  it('puts a key into cooldown on 429, for Retry-After when given', () => {
    const state = nextKeyState(initialKeyState(T0), limited(7000), T0, policy);
    expect(state).toMatchObject({ health: 'cooldown', until: T0 + 7000, strikes: 1 });
    expect(state.lastError).toEqual({ status: 429, message: 'slow down', at: T0 });
  });

  it('backs off exponentially on repeated 429s without Retry-After', () => {
    const first = nextKeyState(initialKeyState(T0), limited(), T0, policy);
    expect(first.until).toBe(T0 + 1000);
    const second = nextKeyState(first, limited(), T0 + 1000, policy);
    expect(second.until).toBe(T0 + 1000 + 2000);
    const third = nextKeyState(second, limited(), T0 + 3000, policy);
    expect(third.until).toBe(T0 + 3000 + 4000);
    expect(third.strikes).toBe(3);
  });

  it('caps a long Retry-After at the maximum cooldown and ignores a negative one', () => {
    expect(nextKeyState(initialKeyState(T0), limited(10 * 60 * 60_000), T0, policy).until).toBe(T0 + 60_000);
    expect(nextKeyState(initialKeyState(T0), limited(-5), T0, policy).until).toBe(T0);
  });

  it('resets the strikes on success', () => {
    const cooled = afterEvents([limited(), limited(), limited()]);
    expect(cooled.strikes).toBe(3);
    const ok = nextKeyState(cooled, { kind: 'success' }, (cooled.until ?? 0) + 1, policy);
    expect(ok).toMatchObject({ health: 'active', until: null, strikes: 0 });
    const next = nextKeyState(ok, limited(), (cooled.until ?? 0) + 2, policy);
    expect(next.strikes).toBe(1);
  });

  it('returns the same object when a success changes nothing', () => {
    const state = initialKeyState(T0);
    expect(nextKeyState(state, { kind: 'success' }, T0 + 5, policy)).toBe(state);
  });

  it('marks a key invalid on 401 and exhausted on 402', () => {
    const invalid = afterEvents([{ kind: 'unauthorized', message: 'User not found.' }]);
    expect(invalid).toMatchObject({ health: 'invalid', until: null, lastError: { status: 401 } });
    const reset = T0 + 86_400_000;
    const exhausted = afterEvents([
      { kind: 'payment-required', message: 'Insufficient credits', resetAt: reset },
    ]);
    expect(exhausted).toMatchObject({ health: 'exhausted', until: reset, lastError: { status: 402 } });
  });

  it('keeps an exhausted or invalid key out even after its `until` passes', () => {
    const exhausted = afterEvents([{ kind: 'payment-required', message: 'no credit', resetAt: T0 + 100 }]);
    expect(healthAt(exhausted, T0 + 10_000)).toBe('exhausted');
    const invalid = afterEvents([{ kind: 'unauthorized', message: 'bad key' }]);
    expect(healthAt(invalid, T0 + 10_000_000)).toBe('invalid');
  });

  it('lets a health check bring an invalid or exhausted key back', () => {
    for (const event of [
      { kind: 'unauthorized', message: 'x' },
      { kind: 'payment-required', message: 'x' },
    ] as KeyEvent[]) {
      const bad = afterEvents([event]);
      const back = nextKeyState(bad, { kind: 'check-ok' }, T0 + 100, policy);
      expect(back).toMatchObject({ health: 'active', until: null, strikes: 0, changedAt: T0 + 100 });
    }
  });

  it('does not end a cooldown on a successful check', () => {
    const cooling = afterEvents([limited(30_000)]);
    expect(nextKeyState(cooling, { kind: 'check-ok' }, T0 + 100, policy)).toBe(cooling);
  });

  it('records transient and failed-check errors without changing the health', () => {
    const state = initialKeyState(T0);
    const transient = nextKeyState(
      state,
      { kind: 'transient', status: 502, message: 'bad gateway' },
      T0 + 1,
      policy,
    );
    expect(transient.health).toBe('active');
    expect(transient.lastError).toEqual({ status: 502, message: 'bad gateway', at: T0 + 1 });
    expect(healthChanged(state, transient)).toBe(false);
    const invalid = afterEvents([{ kind: 'unauthorized', message: 'x' }]);
    const failed = nextKeyState(
      invalid,
      { kind: 'check-failed', status: 401, message: 'still bad' },
      T0 + 50,
      policy,
    );
    expect(failed.health).toBe('invalid');
    expect(failed.lastError?.message).toBe('still bad');
  });

  it('never mutates the state it is given', () => {
    const state = initialKeyState(T0);
    const copy = structuredClone(state);
    for (const event of [
      limited(),
      { kind: 'unauthorized', message: 'x' },
      { kind: 'payment-required', message: 'x' },
      { kind: 'transient', status: 500, message: 'x' },
      { kind: 'check-ok' },
      { kind: 'check-failed', status: null, message: 'x' },
      { kind: 'success' },
    ] as KeyEvent[]) {
      nextKeyState(state, event, T0 + 1, policy);
      expect(state).toEqual(copy);
    }
  });
});

describe('healthChanged', () => {
  it('is true when a key becomes or stops being invalid or exhausted', () => {
    const active = initialKeyState(T0);
    const invalid = nextKeyState(active, { kind: 'unauthorized', message: 'x' }, T0, policy);
    const exhausted = nextKeyState(active, { kind: 'payment-required', message: 'x' }, T0, policy);
    expect(healthChanged(active, invalid)).toBe(true);
    expect(healthChanged(active, exhausted)).toBe(true);
    expect(healthChanged(invalid, nextKeyState(invalid, { kind: 'check-ok' }, T0 + 1, policy))).toBe(true);
    expect(healthChanged(invalid, { ...invalid, lastError: null })).toBe(false);
  });

  it('is true for a long cooldown only: a short one ends before it could be read elsewhere', () => {
    const active = initialKeyState(T0);
    const short = nextKeyState(active, limited(PERSISTED_COOLDOWN_MS - 1), T0, policy);
    const long = nextKeyState(active, limited(PERSISTED_COOLDOWN_MS), T0, { ...policy, maxMs: 3_600_000 });
    expect(healthChanged(active, short)).toBe(false);
    expect(healthChanged(active, long)).toBe(true);
    expect(healthChanged(long, nextKeyState(long, { kind: 'success' }, T0 + 1, policy))).toBe(false);
  });
});

describe('rests narrower than a health', () => {
  const policy = { baseMs: 1000, maxMs: 60_000, refusalMs: 5_000, random: () => 0.5 };
  const free = 'meta-llama/llama-3.3-70b-instruct:free';
  const paid = 'openai/gpt-4o-mini';

  it('a free-model limit rests the key for free models only, until its time', () => {
    const s = nextKeyState(
      initialKeyState(0),
      { kind: 'free-limited', until: 10_000, message: 'm' },
      0,
      policy,
    );
    expect(healthAt(s, 1)).toBe('active');
    expect(restFor(s, free, 1)).toBe('free');
    expect(restFor(s, paid, 1)).toBeNull();
    expect(restEndsAt(s, free, 1)).toBe(10_000);
    expect(restFor(s, free, 10_000)).toBeNull();
  });

  it('a refusal leaves the key out for that model for refusalMs, others unchanged', () => {
    const s = nextKeyState(
      initialKeyState(0),
      { kind: 'refused', model: paid, status: 404, message: 'data policy' },
      0,
      policy,
    );
    expect(healthAt(s, 1)).toBe('active');
    expect(restFor(s, paid, 1)).toBe('refused');
    expect(restFor(s, 'anthropic/claude-3.5-haiku', 1)).toBeNull();
    expect(restFor(s, paid, 5_000)).toBeNull();
  });

  it('keeps at most MAX_REFUSALS refusals, the newest', () => {
    let s = initialKeyState(0);
    for (let i = 0; i < MAX_REFUSALS + 5; i++)
      s = nextKeyState(s, { kind: 'refused', model: `m/${i}`, status: 404, message: 'x' }, i, policy);
    expect(s.refusals).toHaveLength(MAX_REFUSALS);
    expect(restFor(s, `m/${MAX_REFUSALS + 4}`, 100)).toBe('refused');
    expect(restFor(s, 'm/0', 100)).toBeNull();
  });

  it('a long free-model rest is worth a write; a minute’s is not', () => {
    const base = initialKeyState(0);
    const day = nextKeyState(base, { kind: 'free-limited', until: 6 * 3_600_000, message: 'm' }, 0, policy);
    const minute = nextKeyState(base, { kind: 'free-limited', until: 60_000, message: 'm' }, 0, policy);
    expect(healthChanged(base, day)).toBe(true);
    expect(healthChanged(base, minute)).toBe(false);
  });
});
