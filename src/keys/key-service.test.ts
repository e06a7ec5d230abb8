import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import type { PutOptions } from '../store/types';
import { KeyPool } from './key-pool';
import { KEY_PREFIX } from './key-records';
import { KeyService } from './key-service';
import { POOL_VERSION_NAME } from './pool-version';

/** A store whose puts fail once `failAfter` of them have succeeded. */
class FailingStore extends MemoryStore {
  puts = 0;
  constructor(private readonly failAfter: number) {
    super();
  }
  override async put(name: string, value: unknown, options?: PutOptions): Promise<void> {
    if (this.puts++ >= this.failAfter) throw new Error('disk full');
    return super.put(name, value, options);
  }
}

function service(store: MemoryStore): KeyService {
  const pool = new KeyPool({ strategy: 'round-robin', cooldown: { baseMs: 1000, maxMs: 60_000 } });
  return new KeyService({ store, pool, clock: { now: () => 1_000_000 }, refreshMs: 0 });
}

const secret = (i: number) => `sk-or-v1-${String(i).padStart(64, '0')}`;

describe('KeyService.importKeys', () => {
  it('counts duplicates as skipped, blanks as nothing', async () => {
    const keys = service(new MemoryStore());
    expect((await keys.importKeys([secret(1)], '')).skipped).toBe(0);
    const result = await keys.importKeys([secret(1), ' ', '', secret(2), ` ${secret(2)}`], '');
    expect(result.added.map((k) => k.secret)).toEqual([secret(2)]);
    expect(result.skipped).toBe(2);
  });

  it('keeps none of an import that could not be stored', async () => {
    const store = new FailingStore(5);
    const keys = service(store);
    await expect(
      keys.importKeys(
        Array.from({ length: 40 }, (_, i) => secret(i)),
        '',
      ),
    ).rejects.toThrow('disk full');
    expect(keys.pool.size).toBe(0);
    expect(keys.pool.pick(1_000_000)).toBeNull();
    expect((await store.list(KEY_PREFIX)).entries).toEqual([]);
  });
});

describe('KeyService.update', () => {
  it('leaves the pool as it was when the change could not be stored', async () => {
    const store = new FailingStore(1);
    const keys = service(store);
    const [key] = (await keys.importKeys([secret(1)], 'before')).added;
    await expect(keys.update(key.id, { enabled: false, label: 'after' })).rejects.toThrow('disk full');
    expect(keys.pool.get(key.id)).toMatchObject({ enabled: true, label: 'before' });
    expect(keys.pool.pick(1_000_000)?.id).toBe(key.id);
  });
});

/** A store whose `list` fails while `failing` is set. */
class FlakyStore extends MemoryStore {
  failing = false;
  override async list<M = unknown>(prefix: string, options?: Parameters<MemoryStore['list']>[1]) {
    if (this.failing) throw new Error('storage unavailable');
    return super.list<M>(prefix, options);
  }
}

describe('KeyService.ready', () => {
  it('tries the first load again after it failed', async () => {
    const store = new FlakyStore();
    await store.put(`${KEY_PREFIX}abc`, {}, { meta: { s: secret(1), l: 'x', e: 1, c: 1, u: 1 } });
    const keys = service(store);
    store.failing = true;
    await expect(keys.ready()).rejects.toThrow('storage unavailable');
    store.failing = false;
    await keys.ready();
    expect(keys.pool.get('abc')?.secret).toBe(secret(1));
  });

  it('keeps refreshing after a failed refresh', async () => {
    const store = new FlakyStore();
    let now = 1_000_000;
    const pool = new KeyPool({ strategy: 'round-robin', cooldown: { baseMs: 1000, maxMs: 60_000 } });
    const keys = new KeyService({ store, pool, clock: { now: () => now }, refreshMs: 1000 });
    await keys.ready();
    // Another isolate adds a key: its record, then the pool's version.
    await store.put(`${KEY_PREFIX}def`, {}, { meta: { s: secret(2), l: 'y', e: 1, c: 1, u: 1 } });
    await store.put(POOL_VERSION_NAME, { v: now, n: 'abcd1234' });
    store.failing = true;
    now += 2000;
    await keys.ready(); // logged, not thrown
    expect(keys.pool.get('def')).toBeUndefined();
    store.failing = false;
    now += 2000;
    await keys.ready();
    expect(keys.pool.get('def')?.secret).toBe(secret(2));
  });
});
