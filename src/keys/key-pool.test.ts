import { describe, expect, it } from 'vitest';
import type { KeyStrategy } from '../config';
import { KeyPool, type PoolKey } from './key-pool';
import { initialKeyState, type KeyEvent } from './key-state';

const T0 = 1_000_000;
const rateLimited = (retryAfterMs: number | null): KeyEvent => ({
  kind: 'rate-limited',
  retryAfterMs,
  message: '429',
});

function makePool(strategy: KeyStrategy = 'round-robin', random?: () => number): KeyPool {
  return new KeyPool({ strategy, cooldown: { baseMs: 1000, maxMs: 600_000, random: () => 0.5 }, random });
}

function add(pool: KeyPool, id: string, now = T0, enabled = true): PoolKey {
  return pool.upsert({ id, secret: `sk-${id}`, hint: `…${id}`, label: '', enabled, createdAt: now }, now);
}

function ids(n: number, prefix = 'k'): string[] {
  return Array.from({ length: n }, (_, i) => `${prefix}${i}`);
}

/** A seeded PRNG (mulberry32), so a failing sequence can be replayed. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Replaces the fields of a pooled key with getters that count every read. */
function countReads(key: PoolKey, counter: { reads: number }): void {
  for (const field of ['id', 'state', 'enabled', 'slot', 'secret'] as const) {
    let value = key[field];
    Object.defineProperty(key, field, {
      configurable: true,
      enumerable: true,
      get() {
        counter.reads++;
        return value;
      },
      set(next) {
        counter.reads++;
        value = next;
      },
    });
  }
}

/** The ids the pool hands out over `n` consecutive picks. */
function pickMany(pool: KeyPool, n: number, now: number): string[] {
  return Array.from({ length: n }, () => pool.pick(now)?.id ?? 'none');
}

describe('KeyPool: O(1) pick', () => {
  it('returns the one active key among 10,000 without touching the 9,999 in cooldown', () => {
    const pool = makePool();
    for (const id of ids(10_000)) add(pool, id);
    for (const id of ids(10_000).slice(1)) pool.report(id, rateLimited(60_000), T0);
    expect(pool.usable).toBe(1);
    const counter = { reads: 0 };
    for (const id of ids(10_000).slice(1)) countReads(pool.get(id)!, counter);
    for (let i = 0; i < 100; i++) expect(pool.pick(T0 + 1000 + i)?.id).toBe('k0');
    expect(counter.reads).toBe(0);
  });

  it('skips a tried key without scanning the pool', () => {
    const pool = makePool();
    for (const id of ids(10_000)) add(pool, id);
    const counter = { reads: 0 };
    for (const key of pool.values()) countReads(key, counter);
    const tried = new Set<string>();
    for (let attempt = 0; attempt < 4; attempt++) {
      const key = pool.pick(T0, tried);
      expect(key).not.toBeNull();
      expect(tried.has(key!.id)).toBe(false);
      tried.add(key!.id);
    }
    // Four attempts read a handful of keys, not thousands.
    expect(counter.reads).toBeLessThan(100);
  });

  it('answers null when every key is cooling down, and the earliest end', () => {
    const pool = makePool();
    for (const id of ids(1000)) add(pool, id);
    for (const [i, id] of ids(1000).entries()) pool.report(id, rateLimited(10_000 + i), T0);
    expect(pool.pick(T0 + 1)).toBeNull();
    expect(pool.nextReadyAt(T0 + 1)).toBe(T0 + 10_000);
  });
});

describe('KeyPool: cooldown wake-up', () => {
  it('brings each key back exactly when its cooldown ends, earliest first', () => {
    const pool = makePool();
    for (const id of ['a', 'b', 'c']) add(pool, id);
    pool.report('c', rateLimited(3000), T0);
    pool.report('a', rateLimited(1000), T0);
    pool.report('b', rateLimited(2000), T0);
    expect(pool.pick(T0 + 999)).toBeNull();
    expect(pool.nextReadyAt(T0 + 999)).toBe(T0 + 1000);
    expect(pool.pick(T0 + 1000)?.id).toBe('a');
    expect(pool.usable).toBe(1);
    expect(pool.nextReadyAt(T0 + 1000)).toBe(T0 + 2000);
    expect(pool.pick(T0 + 1999)?.id).toBe('a');
    pool.pick(T0 + 2000);
    expect(pool.usable).toBe(2);
    expect(pool.nextReadyAt(T0 + 2000)).toBe(T0 + 3000);
    pool.pick(T0 + 5000);
    expect(pool.usable).toBe(3);
    expect(pool.nextReadyAt(T0 + 5000)).toBeNull();
    expect(new Set(pickMany(pool, 3, T0 + 5000))).toEqual(new Set(['a', 'b', 'c']));
  });

  it('does not wake a key early when its cooldown was extended', () => {
    const pool = makePool();
    add(pool, 'a');
    pool.report('a', rateLimited(1000), T0);
    pool.report('a', rateLimited(5000), T0 + 500); // now until T0 + 5500; the old entry is stale
    expect(pool.pick(T0 + 1000)).toBeNull();
    expect(pool.nextReadyAt(T0 + 1000)).toBe(T0 + 5500);
    expect(pool.pick(T0 + 5500)?.id).toBe('a');
  });

  it('does not wake a key that was disabled, removed or marked invalid while cooling down', () => {
    const pool = makePool();
    for (const id of ['disabled', 'removed', 'invalid', 'ok']) add(pool, id);
    for (const id of ['disabled', 'removed', 'invalid', 'ok']) pool.report(id, rateLimited(1000), T0);
    const disabled = pool.get('disabled')!;
    pool.upsert({ ...disabled, enabled: false }, T0 + 1);
    pool.remove('removed');
    pool.report('invalid', { kind: 'unauthorized', message: 'bad' }, T0 + 2);
    expect(pickMany(pool, 5, T0 + 2000)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(pool.usable).toBe(1);
    expect(pool.nextReadyAt(T0 + 2000)).toBeNull();
  });

  it('brings a re-enabled key back with its previous health', () => {
    const pool = makePool();
    add(pool, 'a');
    add(pool, 'b');
    pool.report('a', rateLimited(1000), T0);
    const a = pool.get('a')!;
    pool.upsert({ ...a, enabled: false }, T0 + 10);
    pool.upsert({ ...pool.get('a')!, enabled: true }, T0 + 20);
    expect(pool.counts(T0 + 20).cooldown).toBe(1);
    expect(pickMany(pool, 4, T0 + 30)).toEqual(['b', 'b', 'b', 'b']);
    expect(new Set(pickMany(pool, 4, T0 + 1000))).toEqual(new Set(['a', 'b']));
  });

  it('ignores stale heap entries when saying when the next key is ready', () => {
    const pool = makePool();
    add(pool, 'a');
    add(pool, 'b');
    pool.report('a', rateLimited(1000), T0);
    pool.report('b', rateLimited(9000), T0);
    pool.remove('a');
    expect(pool.nextReadyAt(T0 + 1)).toBe(T0 + 9000);
  });
});

describe('KeyPool: the ring under many changes', () => {
  it('always hands out exactly the usable keys (random operations against a model)', () => {
    const random = seeded(42);
    const pool = makePool();
    type Model = { enabled: boolean; health: 'active' | 'cooldown' | 'invalid'; until: number };
    const model = new Map<string, Model>();
    let now = T0;
    const usableNow = () =>
      [...model]
        .filter(
          ([, m]) => m.enabled && (m.health === 'active' || (m.health === 'cooldown' && m.until <= now)),
        )
        .map(([id]) => id)
        .sort();
    for (let step = 0; step < 5000; step++) {
      const op = random();
      const id = `k${Math.floor(random() * 60)}`;
      const known = model.get(id);
      if (op < 0.25) {
        add(pool, id, now); // an upsert: a known key keeps its health and is enabled
        if (known) known.enabled = true;
        else model.set(id, { enabled: true, health: 'active', until: 0 });
      } else if (op < 0.35) {
        pool.remove(id);
        model.delete(id);
      } else if (op < 0.5 && known) {
        const wait = Math.floor(random() * 500);
        pool.report(id, rateLimited(wait), now);
        Object.assign(known, { health: 'cooldown', until: now + wait });
      } else if (op < 0.55 && known) {
        pool.report(id, { kind: 'unauthorized', message: 'x' }, now);
        Object.assign(known, { health: 'invalid', until: 0 });
      } else if (op < 0.65 && known) {
        pool.report(id, { kind: 'check-ok' }, now);
        if (known.health === 'invalid') known.health = 'active';
      } else if (op < 0.75 && known) {
        pool.report(id, { kind: 'success' }, now);
        known.health = 'active';
      } else if (op < 0.85 && known) {
        const enabled = random() < 0.5;
        pool.upsert({ ...pool.get(id)!, enabled }, now);
        known.enabled = enabled;
      } else {
        now += Math.floor(random() * 200);
      }
      const expected = usableNow();
      // A full turn of the ring visits every usable key exactly once.
      const turn = pickMany(pool, expected.length, now);
      expect([...turn].sort(), `step ${step}`).toEqual(expected);
      expect(pool.usable).toBe(expected.length);
      if (expected.length === 0) expect(pool.pick(now)).toBeNull();
      let slots = 0;
      for (const key of pool.values()) if (key.slot >= 0) slots++;
      expect(slots).toBe(expected.length);
    }
  });
});

describe('KeyPool: strategies', () => {
  it('round-robin gives every key the same share', () => {
    const pool = makePool('round-robin');
    for (const id of ids(7)) add(pool, id);
    const counts = new Map<string, number>();
    for (const id of pickMany(pool, 7 * 50, T0)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(7);
    for (const n of counts.values()) expect(n).toBe(50);
  });

  it('round-robin never returns a tried key and answers null once all were tried', () => {
    const pool = makePool('round-robin');
    for (const id of ['a', 'b', 'c']) add(pool, id);
    const tried = new Set<string>();
    for (let i = 0; i < 3; i++) {
      const key = pool.pick(T0, tried)!;
      expect(tried.has(key.id)).toBe(false);
      tried.add(key.id);
    }
    expect(pool.pick(T0, tried)).toBeNull();
  });

  it('random uses the random source and spreads the picks', () => {
    const pool = makePool('random', seeded(7));
    for (const id of ids(4)) add(pool, id);
    const counts = new Map<string, number>();
    for (const id of pickMany(pool, 4000, T0)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(4);
    for (const n of counts.values()) expect(n).toBeGreaterThan(800);
  });

  it('random still finds the untried key when the random source keeps hitting tried ones', () => {
    const pool = makePool('random', () => 0);
    for (const id of ['a', 'b', 'c']) add(pool, id);
    const first = pool.pick(T0)!;
    const tried = new Set([first.id]);
    const second = pool.pick(T0, tried)!;
    expect(second.id).not.toBe(first.id);
    tried.add(second.id);
    const third = pool.pick(T0, tried)!;
    expect(tried.has(third.id)).toBe(false);
    tried.add(third.id);
    expect(pool.pick(T0, tried)).toBeNull();
  });

  it('sticky keeps a client on one key while it works', () => {
    const pool = makePool('sticky');
    for (const id of ids(5)) add(pool, id);
    const alice = pool.pick(T0, undefined, 'alice')!.id;
    const bob = pool.pick(T0, undefined, 'bob')!.id;
    expect(bob).not.toBe(alice);
    for (let i = 0; i < 20; i++) {
      expect(pool.pick(T0, undefined, 'alice')?.id).toBe(alice);
      expect(pool.pick(T0, undefined, 'bob')?.id).toBe(bob);
    }
  });

  it('sticky moves a client to another key when its key fails, and keeps it there', () => {
    const pool = makePool('sticky');
    for (const id of ids(3)) add(pool, id);
    const held = pool.pick(T0, undefined, 'alice')!.id;
    pool.report(held, rateLimited(1000), T0);
    const moved = pool.pick(T0 + 1, undefined, 'alice')!.id;
    expect(moved).not.toBe(held);
    expect(pool.pick(T0 + 2000, undefined, 'alice')?.id).toBe(moved);
    // A retry that already tried the held key gets another one.
    const retry = pool.pick(T0 + 2000, new Set([moved]), 'alice')!.id;
    expect(retry).not.toBe(moved);
  });

  it('sticky without a client id, and other strategies with one, rotate as usual', () => {
    const sticky = makePool('sticky');
    for (const id of ids(3)) add(sticky, id);
    expect(new Set(pickMany(sticky, 3, T0))).toEqual(new Set(ids(3)));
    const rr = makePool('round-robin');
    for (const id of ids(3)) add(rr, id);
    const picks = Array.from({ length: 3 }, () => rr.pick(T0, undefined, 'alice')!.id);
    expect(new Set(picks)).toEqual(new Set(ids(3)));
  });

  it('switches strategy at run time', () => {
    const pool = makePool('round-robin');
    for (const id of ids(3)) add(pool, id);
    pool.setStrategy('sticky');
    const held = pool.pick(T0, undefined, 'c1')!.id;
    for (let i = 0; i < 5; i++) expect(pool.pick(T0, undefined, 'c1')?.id).toBe(held);
  });
});

describe('KeyPool: bookkeeping', () => {
  it('counts keys by status', () => {
    const pool = makePool();
    for (const id of ids(5)) add(pool, id);
    add(pool, 'off', T0, false);
    pool.report('k0', rateLimited(1000), T0);
    pool.report('k1', { kind: 'unauthorized', message: 'x' }, T0);
    pool.report('k2', { kind: 'payment-required', message: 'x' }, T0);
    expect(pool.counts(T0)).toEqual({ active: 2, cooldown: 1, invalid: 1, exhausted: 1, disabled: 1 });
    expect(pool.counts(T0 + 1000)).toEqual({ active: 3, cooldown: 0, invalid: 1, exhausted: 1, disabled: 1 });
    expect(pool.size).toBe(6);
  });

  it('report answers whether the health changed (worth a write)', () => {
    const pool = makePool();
    add(pool, 'a');
    expect(pool.report('a', { kind: 'success' }, T0)).toBe(false);
    expect(pool.report('a', { kind: 'transient', status: 502, message: 'x' }, T0)).toBe(false);
    expect(pool.report('a', rateLimited(100), T0)).toBe(false); // a short cooldown lives in memory only
    expect(pool.report('a', { kind: 'unauthorized', message: 'x' }, T0)).toBe(true);
    expect(pool.report('missing', rateLimited(100), T0)).toBe(false);
  });

  it('setState replaces a key state from storage and places it', () => {
    const pool = makePool();
    add(pool, 'a');
    const cooling = { ...initialKeyState(T0), health: 'cooldown' as const, until: T0 + 500 };
    pool.setState('a', cooling, T0);
    expect(pool.pick(T0)).toBeNull();
    expect(pool.pick(T0 + 500)?.id).toBe('a');
    const invalid = { ...initialKeyState(T0), health: 'invalid' as const };
    expect(pool.setState('a', invalid, T0 + 600)).toBe(true);
    expect(pool.pick(T0 + 600)).toBeNull();
    expect(pool.setState('missing', cooling, T0)).toBe(false);
  });

  it('upsert of a known key keeps its state and updates its label', () => {
    const pool = makePool();
    add(pool, 'a');
    pool.report('a', { kind: 'unauthorized', message: 'x' }, T0);
    const again = pool.upsert(
      { id: 'a', secret: 'sk-a', hint: '…a', label: 'renamed', enabled: true, createdAt: T0 },
      T0 + 1,
    );
    expect(again.label).toBe('renamed');
    expect(again.state.health).toBe('invalid');
    expect(pool.size).toBe(1);
    expect(pool.pick(T0 + 1)).toBeNull();
  });

  it('upsert of a known key keeps what its health check learned, and sends a new secret', () => {
    const pool = makePool();
    const key = add(pool, 'a');
    expect(key.authorization).toBe('Bearer sk-a');
    key.checkedAt = T0 + 5;
    const credit = {
      limit: 10,
      remaining: 6,
      reset: null,
      usage: 4,
      usageDaily: null,
      usageMonthly: null,
      freeTier: false,
      expiresAt: null,
      freeRequestsLeft: null,
    };
    key.credit = credit;
    const again = pool.upsert(
      { id: 'a', secret: 'sk-rotated', hint: '…ed', label: '', enabled: true, createdAt: T0 },
      T0 + 10,
    );
    expect(again).toBe(key);
    expect(again.authorization).toBe('Bearer sk-rotated');
    expect(again.checkedAt).toBe(T0 + 5);
    expect(again.credit).toEqual(credit);
    expect(pool.pick(T0 + 10)?.authorization).toBe('Bearer sk-rotated');
  });
});
