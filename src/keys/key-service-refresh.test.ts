// Several isolates (KeyService instances) over one store, as on Workers: what a
// refresh lists, and when one isolate's changes reach another.
import { describe, expect, it } from 'vitest';
import { countingStore, manualClock } from '../stats/test-records';
import { MemoryStore } from '../store/memory-store';
import type { ListOptions, ListPage, Store } from '../store/types';
import { KeyPool } from './key-pool';
import { KEY_PREFIX, STATE_PREFIX } from './key-records';
import { KeyService } from './key-service';
import { POOL_VERSION_NAME } from './pool-version';
import { KEYS_SAFETY_MS, KV_SETTLE_MS } from './refresh-plan';

const T0 = 1_700_000_000_000;
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;
const REFRESH_MS = MINUTE;
const STATES_MS = 15 * MINUTE;

const secret = (i: number) => `sk-or-v1-${String(i).padStart(64, '0')}`;

type Clock = ReturnType<typeof manualClock>;

/** One isolate: its own pool over the shared store, refreshing as on Workers. */
function isolate(store: Store, clock: Clock, refreshMs = REFRESH_MS): KeyService {
  const pool = new KeyPool({ strategy: 'round-robin', cooldown: { baseMs: 1000, maxMs: 60_000 } });
  return new KeyService({ store, pool, clock, refreshMs, statesRefreshMs: STATES_MS, versionGapMs: 0 });
}

/** A store whose listings can lag behind its writes, as KV's do (up to about a minute). */
function laggingStore(inner: Store): Store & { lagging: boolean } {
  const lastPage = new Map<string, ListPage<unknown>>();
  return {
    lagging: false,
    get: (name) => inner.get(name),
    put: (name, value, options) => inner.put(name, value, options),
    delete: (name) => inner.delete(name),
    async list<M>(prefix: string, options?: ListOptions): Promise<ListPage<M>> {
      const at = `${prefix}|${options?.cursor ?? ''}`;
      const seen = lastPage.get(at);
      if (this.lagging && seen) return seen as ListPage<M>;
      const page = await inner.list<M>(prefix, options);
      lastPage.set(at, page);
      return page;
    },
  };
}

/** The ids a pool would use, trying every usable key once. */
function usable(keys: KeyService, now: number): string[] {
  const tried = new Set<string>();
  for (let key = keys.pool.pick(now, tried); key; key = keys.pool.pick(now, tried)) tried.add(key.id);
  return [...tried].sort();
}

describe('KeyService refresh on Workers', () => {
  it('lists an unchanged pool of 1,000 keys about 100 times a day per isolate, not 2,880', async () => {
    const clock = manualClock(T0);
    const counted = countingStore(clock.now);
    let gets = 0;
    const store: Store = {
      ...counted.store,
      get: (name) => {
        gets++;
        return counted.store.get(name);
      },
    };
    const admin = isolate(store, clock);
    await admin.importKeys(
      Array.from({ length: 1000 }, (_, i) => secret(i)),
      'bulk',
    );
    clock.advance(10 * MINUTE);
    const busy = isolate(store, clock);
    const [listsBefore, getsBefore] = [counted.lists, gets];
    // A request every 10 s all day long.
    for (let t = 0; t < DAY; t += 10 * SECOND) {
      await busy.ready();
      clock.advance(10 * SECOND);
    }
    const lists = counted.lists - listsBefore;
    // docs/storage-schema.md: per isolate and ⌈N/1,000⌉ pages, key: at start and every 6 h,
    // ks: at start and every 15 min; one get of keys:v per POOL_REFRESH_MS.
    const budget = 1 + DAY / KEYS_SAFETY_MS + 1 + DAY / STATES_MS;
    expect(lists).toBeLessThanOrEqual(budget);
    expect(lists).toBeGreaterThanOrEqual(DAY / STATES_MS - 5); // the states are still read
    expect(gets - getsBefore).toBeLessThanOrEqual(1 + DAY / REFRESH_MS);
    expect(busy.pool.size).toBe(1000);
  });

  it('shows one isolate the admin changes of another after its next refresh', async () => {
    const clock = manualClock(T0);
    const counted = countingStore(clock.now);
    const a = isolate(counted.store, clock);
    const b = isolate(counted.store, clock);
    const [k1, k2, k3] = (await a.importKeys([secret(1), secret(2), secret(3)], 'x')).added;
    clock.advance(2 * MINUTE);
    await b.ready();
    expect(usable(b, clock.now())).toEqual([k1.id, k2.id, k3.id].sort());

    clock.advance(10 * SECOND);
    await a.update(k1.id, { enabled: false, label: 'off' });
    await a.remove(k2.id);
    const [k4] = (await a.importKeys([secret(4)], 'new')).added;
    // Four admin changes, four writes of keys:v (none by runtime state).
    expect(counted.writes.get('keys')).toBe(4);

    // Before its next refresh, B goes on with what it has.
    clock.advance(20 * SECOND);
    expect(b.ready()).toBeNull();
    expect(usable(b, clock.now())).toEqual([k1.id, k2.id, k3.id].sort());

    clock.advance(REFRESH_MS);
    const lists = counted.lists;
    await b.ready();
    expect(counted.lists - lists).toBe(1); // key: only
    expect(usable(b, clock.now())).toEqual([k3.id, k4.id].sort());
    expect(b.pool.get(k1.id)).toMatchObject({ enabled: false, label: 'off' });
    expect(b.pool.get(k2.id)).toBeUndefined();
    expect(b.pool.get(k4.id)?.label).toBe('new');
  });

  it('brings a key state written by one isolate to another within the states cadence', async () => {
    const clock = manualClock(T0);
    const store = new MemoryStore({ now: clock.now });
    const a = isolate(store, clock);
    const b = isolate(store, clock);
    const [k1, k2] = (await a.importKeys([secret(1), secret(2)], 'x')).added;
    clock.advance(2 * MINUTE);
    await b.ready();
    const bLoadedAt = clock.now();

    a.report(k1.id, { kind: 'unauthorized', message: 'User not found.' });
    await a.flush();
    expect(await store.get(STATE_PREFIX + k1.id)).toMatchObject({ h: 'invalid' });

    // Refreshes before the cadence read keys:v only: B still tries k1 (and would learn by itself).
    clock.advance(REFRESH_MS + SECOND);
    await b.ready();
    expect(b.pool.get(k1.id)?.state.health).toBe('active');

    clock.set(bLoadedAt + STATES_MS + SECOND);
    await b.ready();
    expect(b.pool.get(k1.id)?.state.health).toBe('invalid');
    expect(usable(b, clock.now())).toEqual([k2.id]);
  });

  it('lists key: once more when its listing may have predated the change', async () => {
    const clock = manualClock(T0);
    const store = laggingStore(new MemoryStore({ now: clock.now }));
    const a = isolate(store, clock);
    const b = isolate(store, clock);
    const [k1, k2] = (await a.importKeys([secret(1), secret(2)], 'x')).added;
    clock.advance(2 * MINUTE);
    await b.ready();

    store.lagging = true;
    clock.advance(REFRESH_MS - 10 * SECOND);
    await a.update(k1.id, { enabled: false });
    clock.advance(11 * SECOND);
    await b.ready(); // saw the new keys:v, but its listing still shows k1 enabled
    expect(b.pool.get(k1.id)?.enabled).toBe(true);

    store.lagging = false;
    clock.advance(KV_SETTLE_MS + SECOND);
    await b.ready(); // keys:v unchanged, but the change may not have shown: listed again
    expect(usable(b, clock.now())).toEqual([k2.id]);
  });

  it("keeps an isolate's own recent changes over a listing that predates them", async () => {
    const clock = manualClock(T0);
    const store = laggingStore(new MemoryStore({ now: clock.now }));
    const a = isolate(store, clock);
    const [k1, k2, k3] = (await a.importKeys([secret(1), secret(2), secret(3)], 'x')).added;
    clock.advance(2 * MINUTE);
    await a.ready();
    await a.ready(); // the refresh that lists the import

    store.lagging = true;
    clock.advance(30 * SECOND);
    await a.update(k1.id, { enabled: false });
    await a.remove(k2.id);
    clock.advance(31 * SECOND);
    await a.ready(); // lists key: (keys:v changed): the listing still has k1 enabled and k2
    expect(a.pool.get(k1.id)?.enabled).toBe(false);
    expect(a.pool.get(k2.id)).toBeUndefined();

    store.lagging = false;
    clock.advance(KV_SETTLE_MS + SECOND);
    await a.ready();
    expect(usable(a, clock.now())).toEqual([k3.id]);
  });

  it('announces a bulk change with one write of keys:v', async () => {
    const clock = manualClock(T0);
    const counted = countingStore(clock.now);
    const a = isolate(counted.store, clock);
    const added = (
      await a.importKeys(
        Array.from({ length: 50 }, (_, i) => secret(i)),
        'x',
      )
    ).added.map((k) => k.id);
    expect(counted.writes.get('keys')).toBe(1);
    expect(await a.updateMany(added, { enabled: false })).toHaveLength(50);
    expect(counted.writes.get('keys')).toBe(2);
    expect(await a.removeMany([...added, 'unknown'])).toBe(50);
    expect(counted.writes.get('keys')).toBe(3);
    expect(await counted.store.list(KEY_PREFIX)).toMatchObject({ entries: [] });
  });

  it('deletes a key another isolate added that this one has not listed yet', async () => {
    const clock = manualClock(T0);
    const store = new MemoryStore({ now: clock.now });
    const a = isolate(store, clock);
    const b = isolate(store, clock);
    await b.ready();
    const [k1] = (await a.importKeys([secret(1)], 'x')).added;
    const version = await store.get(POOL_VERSION_NAME);
    expect(await b.remove(k1.id)).toBe(true);
    expect(await store.get(KEY_PREFIX + k1.id)).toBeNull();
    expect(await store.get(POOL_VERSION_NAME)).not.toEqual(version);
    expect(await b.remove('0123456789abcdef')).toBe(false);
  });

  it('on Node (no refresh) writes no keys:v and lists only at start', async () => {
    const clock = manualClock(T0);
    const counted = countingStore(clock.now);
    const keys = isolate(counted.store, clock, 0);
    const [k1] = (await keys.importKeys([secret(1), secret(2)], 'x')).added;
    await keys.update(k1.id, { label: 'y' });
    await keys.remove(k1.id);
    for (let i = 0; i < 100; i++) {
      clock.advance(KEYS_SAFETY_MS);
      expect(keys.ready()).toBeNull();
    }
    expect(counted.writes.get('keys')).toBeUndefined();
    expect(counted.lists).toBe(2);
  });
});
