import { describe, expect, it } from 'vitest';
import { hash32 } from '../lib/hash32';
import { CONVERSATION_DEFAULTS } from './conversation-keys';
import { KeyPool, type PoolKey } from './key-pool';
import type { KeyEvent } from './key-state';

const T0 = 1_000_000;
const rateLimited: KeyEvent = { kind: 'rate-limited', retryAfterMs: 60_000, message: '429' };

function makePool(): KeyPool {
  return new KeyPool({
    strategy: 'round-robin',
    cooldown: { baseMs: 1000, maxMs: 600_000, random: () => 0.5 },
  });
}

function add(pool: KeyPool, id: string, now = T0): PoolKey {
  return pool.upsert(
    { id, secret: `sk-${id}`, hint: `…${id}`, label: '', enabled: true, createdAt: now },
    now,
  );
}

function poolOf(n: number, prefix = 'key'): KeyPool {
  const pool = makePool();
  for (let i = 0; i < n; i++) add(pool, `${prefix}${i}`);
  return pool;
}

const conversation = (i: number) => hash32(`conversation ${i}`);

/** Where each of `count` conversations goes on its first attempt. */
function placement(pool: KeyPool, count: number, now = T0): string[] {
  return Array.from(
    { length: count },
    (_, i) => pool.pick(now, new Set(), undefined, conversation(i))?.id ?? '-',
  );
}

describe('a conversation on the pool', () => {
  it('goes to one key for ten turns, while round-robin alone would visit every key', () => {
    const pool = poolOf(10);
    const turns = Array.from({ length: 10 }, (_, t) => pool.pick(T0 + t * 1000, new Set(), 'client', 42)?.id);
    expect(new Set(turns).size).toBe(1);
    const rotation = Array.from({ length: 10 }, () => pool.pick(T0)?.id);
    expect(new Set(rotation).size).toBe(10);
  });

  it('moves to another key only when its key fails, and stays there after that key recovers', () => {
    const pool = poolOf(10);
    const home = pool.pick(T0, new Set(), undefined, 7)!;
    // A failed attempt: the request's next pick skips the tried key.
    const second = pool.pick(T0, new Set([home.id]), undefined, 7)!;
    expect(second.id).not.toBe(home.id);
    // The key that failed goes into cooldown; every later turn goes to the new key.
    pool.report(home.id, rateLimited, T0);
    for (let t = 1; t <= 10; t++) expect(pool.pick(T0 + t, new Set(), undefined, 7)?.id).toBe(second.id);
    // The home key is usable again: the conversation still stays where its cache is.
    const later = T0 + 120_000;
    expect(pool.get(home.id)?.slot).toBeLessThan(0);
    pool.pick(later); // wakes the cooled-down key
    expect(pool.get(home.id)!.slot).toBeGreaterThanOrEqual(0);
    expect(pool.pick(later, new Set(), undefined, 7)?.id).toBe(second.id);
    // Once the memory of the move expires, it goes home.
    const expired = later + CONVERSATION_DEFAULTS.movedTtlMs + 1;
    expect(pool.pick(expired, new Set(), undefined, 7)?.id).toBe(home.id);
  });

  it('never gets a key already tried in this request nor one not usable', () => {
    const pool = poolOf(5);
    const tried = new Set<string>();
    for (let i = 0; i < 5; i++) {
      const key = pool.pick(T0, tried, undefined, 99);
      expect(key).not.toBeNull();
      expect(tried.has(key!.id)).toBe(false);
      tried.add(key!.id);
    }
    expect(pool.pick(T0, tried, undefined, 99)).toBeNull();
    // Invalid, exhausted, disabled and cooling keys are passed over.
    const fresh = poolOf(4);
    const first = fresh.pick(T0, new Set(), undefined, 5)!;
    fresh.report(first.id, { kind: 'unauthorized', message: '401' }, T0);
    const next = fresh.pick(T0, new Set(), undefined, 5)!;
    expect(next.id).not.toBe(first.id);
    fresh.report(next.id, { kind: 'payment-required', message: '402' }, T0);
    const third = fresh.pick(T0, new Set(), undefined, 5)!;
    expect([first.id, next.id]).not.toContain(third.id);
    fresh.upsert({ ...third, enabled: false }, T0);
    const fourth = fresh.pick(T0, new Set(), undefined, 5)!;
    expect([first.id, next.id, third.id]).not.toContain(fourth.id);
  });

  it('spreads different conversations over the keys', () => {
    const pool = poolOf(10);
    const counts = new Map<string, number>();
    for (const id of placement(pool, 10_000)) counts.set(id, (counts.get(id) ?? 0) + 1);
    expect(counts.size).toBe(10);
    // 1,000 a key on average; the ring's points give each key between 0.6 and 1.5 of that.
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(600);
      expect(n).toBeLessThan(1500);
    }
  });

  it('moves only the conversations of a key added or removed', () => {
    const pool = poolOf(100);
    const before = placement(pool, 20_000);
    add(pool, 'newcomer');
    const added = placement(pool, 20_000);
    const movedOnAdd = added.filter((id, i) => id !== before[i]);
    // Those that moved went to the new key, and about 1/101 of them did.
    expect(new Set(movedOnAdd)).toEqual(new Set(['newcomer']));
    expect(movedOnAdd.length / 20_000).toBeGreaterThan(0.003);
    expect(movedOnAdd.length / 20_000).toBeLessThan(0.03);

    pool.remove('newcomer');
    expect(placement(pool, 20_000)).toEqual(before);

    const victim = before[0];
    pool.remove(victim);
    const removed = placement(pool, 20_000);
    for (let i = 0; i < before.length; i++) {
      if (before[i] === victim) expect(removed[i]).not.toBe(victim);
      else expect(removed[i]).toBe(before[i]);
    }
  });

  it('puts a conversation on the same key in every pool that holds the same keys, whatever their order', () => {
    const a = makePool();
    const b = makePool();
    const ids = Array.from({ length: 50 }, (_, i) => `key${i}`);
    for (const id of ids) add(a, id);
    for (const id of [...ids].reverse()) add(b, id);
    expect(placement(a, 2000)).toEqual(placement(b, 2000));
  });

  it('still finds the few usable keys of a mostly dead pool of 10,000, and stays on the one it found', () => {
    const pool = poolOf(10_000);
    const alive = new Set(['key17', 'key4242', 'key9999']);
    for (const key of [...pool.values()])
      if (!alive.has(key.id)) pool.report(key.id, { kind: 'unauthorized', message: '401' }, T0);
    expect(pool.usable).toBe(3);
    const picks = Array.from({ length: 20 }, (_, i) => pool.pick(T0 + i, new Set(), undefined, 1234)?.id);
    expect(alive.has(picks[0]!)).toBe(true);
    expect(new Set(picks).size).toBe(1);
  });

  it('forgets the oldest moved conversations beyond its bound', () => {
    const pool = poolOf(4);
    // Every conversation's first key is tried and failed: each one moves.
    const count = CONVERSATION_DEFAULTS.maxMoved + 500;
    for (let i = 0; i < count; i++) {
      const first = pool.pick(T0, new Set(), undefined, conversation(i))!;
      pool.pick(T0, new Set([first.id]), undefined, conversation(i));
    }
    expect(pool.conversations.movedCount).toBe(CONVERSATION_DEFAULTS.maxMoved);
  });
});
