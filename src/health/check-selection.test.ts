import { describe, expect, it } from 'vitest';
import { type CheckCandidate, checkRank, DEFAULT_CHECK_POLICY, selectKeysToCheck } from './check-selection';

const NOW = 1_000_000_000;
const H = 60 * 60_000;
const key = (id: string, over: Partial<CheckCandidate> = {}): CheckCandidate => ({
  id,
  enabled: true,
  health: 'active',
  until: null,
  checkedAt: NOW - 2 * H,
  ...over,
});

describe('checkRank', () => {
  const rank = (k: CheckCandidate) => checkRank(k, NOW, DEFAULT_CHECK_POLICY);
  it('puts never-checked keys first and never checks disabled ones', () => {
    expect(rank(key('a', { checkedAt: null }))).toBe(0);
    expect(rank(key('a', { enabled: false, checkedAt: null }))).toBeNull();
  });

  it('rechecks active keys hourly, invalid ones every 6 hours', () => {
    expect(rank(key('a', { checkedAt: NOW - 30 * 60_000 }))).toBeNull();
    expect(rank(key('a'))).toBe(2);
    expect(rank(key('a', { health: 'cooldown' }))).toBe(2);
    expect(rank(key('a', { health: 'invalid' }))).toBeNull();
    expect(rank(key('a', { health: 'invalid', checkedAt: NOW - 6 * H }))).toBe(3);
  });

  it('rechecks an exhausted key once its reset has passed, or every 6 hours when unknown', () => {
    expect(rank(key('a', { health: 'exhausted', until: NOW + H, checkedAt: NOW - 20 * H }))).toBeNull();
    expect(rank(key('a', { health: 'exhausted', until: NOW - 1, checkedAt: NOW - H }))).toBe(1);
    expect(rank(key('a', { health: 'exhausted', until: NOW - 2 * H, checkedAt: NOW - H }))).toBeNull();
    expect(rank(key('a', { health: 'exhausted', until: NOW - 8 * H, checkedAt: NOW - 7 * H }))).toBe(1);
    expect(rank(key('a', { health: 'exhausted', checkedAt: NOW - 2 * H }))).toBeNull();
    expect(rank(key('a', { health: 'exhausted', checkedAt: NOW - 6 * H }))).toBe(1);
  });
});

describe('selectKeysToCheck', () => {
  it('takes the keys most in need first, the oldest check first, at most `limit`', () => {
    const keys = [
      key('old', { checkedAt: NOW - 5 * H }),
      key('recent', { checkedAt: NOW - 10 * 60_000 }),
      key('dead', { health: 'invalid', checkedAt: NOW - 7 * H }),
      key('new', { checkedAt: null }),
      key('mid'),
      key('reset', { health: 'exhausted', until: NOW - 1, checkedAt: NOW - 3 * H }),
      key('off', { enabled: false, checkedAt: null }),
    ];
    expect(selectKeysToCheck(keys, NOW, 10).map((k) => k.id)).toEqual(['new', 'reset', 'old', 'mid', 'dead']);
    expect(selectKeysToCheck(keys, NOW, 2).map((k) => k.id)).toEqual(['new', 'reset']);
    expect(selectKeysToCheck(keys, NOW, 100, { all: true }).map((k) => k.id)).toEqual([
      'new',
      'reset',
      'old',
      'mid',
      'dead',
      'off',
      'recent',
    ]);
  });

  it('goes through a pool of 10,000 in slices, each key once before any twice', () => {
    const pool = Array.from({ length: 10_000 }, (_, i) => key(`k${i}`, { checkedAt: null }));
    const seen = new Set<string>();
    let now = NOW;
    for (let run = 0; run < 250; run++) {
      for (const k of selectKeysToCheck(pool, now, 40)) {
        expect(seen.has(k.id)).toBe(false);
        seen.add(k.id);
        k.checkedAt = now;
      }
      now += 5 * 60_000;
    }
    expect(seen.size).toBe(10_000);
  });
});
