import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import type { PutOptions } from '../store/types';
import { POOL_VERSION_NAME, type PoolVersion, PoolVersionWriter, versionTag } from './pool-version';

/** A MemoryStore that counts puts and fails the first `failures` of them. */
class CountingStore extends MemoryStore {
  puts = 0;
  constructor(private failures = 0) {
    super();
  }
  override async put(name: string, value: unknown, options?: PutOptions): Promise<void> {
    this.puts++;
    if (this.failures-- > 0) throw new Error('KV PUT failed: 429 Too Many Requests');
    return super.put(name, value, options);
  }
}

function writer(store: MemoryStore, gapMs: number) {
  let now = 1_000_000;
  const sleeps: number[] = [];
  const w = new PoolVersionWriter({
    store,
    clock: { now: () => now },
    gapMs,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  });
  return { w, sleeps, advance: (ms: number) => (now += ms) };
}

describe('PoolVersionWriter', () => {
  it('writes a new version on each announcement that comes after the last write', async () => {
    const store = new CountingStore();
    const { w, advance } = writer(store, 1000);
    await w.announce();
    const first = await store.get<PoolVersion>(POOL_VERSION_NAME);
    advance(5000);
    await w.announce();
    const second = await store.get<PoolVersion>(POOL_VERSION_NAME);
    expect(store.puts).toBe(2);
    expect(first?.v).toBe(1_000_000);
    expect(second?.v).toBe(1_005_000);
    expect(versionTag(second)).not.toBe(versionTag(first));
  });

  it('lets announcements share a write not started yet, and spaces writes by the gap', async () => {
    const store = new CountingStore();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slowPut = store.put.bind(store);
    store.put = async (name, value, options) => {
      await gate;
      return slowPut(name, value, options);
    };
    const { w, sleeps } = writer(store, 1000);
    const first = [w.announce(), w.announce()];
    await new Promise((resolve) => setTimeout(resolve, 0));
    // The first write has started (and hangs): these wait for it and the gap, then share one write.
    const later = [w.announce(), w.announce(), w.announce()];
    release();
    await Promise.all([...first, ...later]);
    expect(store.puts).toBe(2);
    expect(sleeps).toEqual([1000]);
  });

  it('tries a failed write once more, after the gap', async () => {
    const store = new CountingStore(1);
    const { w, sleeps } = writer(store, 1000);
    await w.announce();
    expect(store.puts).toBe(2);
    expect(sleeps).toEqual([1000]);
    expect(await store.get(POOL_VERSION_NAME)).not.toBeNull();
  });

  it('rejects when the second try fails too, and writes again on the next announcement', async () => {
    const store = new CountingStore(2);
    const { w, advance } = writer(store, 1000);
    await expect(w.announce()).rejects.toThrow('429');
    advance(5000);
    await w.announce();
    expect(await store.get(POOL_VERSION_NAME)).not.toBeNull();
  });
});
