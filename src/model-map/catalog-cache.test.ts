import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import type { ListPage, Store } from '../store/types';
import { CATALOG_STORE_NAME, CatalogCache, type StoredCatalog } from './catalog-cache';
import type { OpenRouterModel } from './models-list';
import { catalogueModels } from './test-fixtures';

const HOUR = 3_600_000;

/** A Map-backed Store with switches to make reads or writes fail. */
class FakeStore implements Store {
  readonly data = new Map<string, string>();
  failGet = false;
  failPut = false;
  gets = 0;
  puts = 0;
  async get<T = unknown>(name: string): Promise<T | null> {
    this.gets++;
    if (this.failGet) throw new Error('store down');
    const json = this.data.get(name);
    return json === undefined ? null : (JSON.parse(json) as T);
  }
  async put(name: string, value: unknown): Promise<void> {
    this.puts++;
    if (this.failPut) throw new Error('store full');
    this.data.set(name, JSON.stringify(value));
  }
  async delete(name: string): Promise<void> {
    this.data.delete(name);
  }
  async list<M = unknown>(prefix: string): Promise<ListPage<M>> {
    const entries = [...this.data.keys()]
      .filter((n) => n.startsWith(prefix))
      .map((name) => ({ name, meta: null }));
    return { entries, cursor: null };
  }
  stored(): StoredCatalog | null {
    const json = this.data.get(CATALOG_STORE_NAME);
    return json === undefined ? null : (JSON.parse(json) as StoredCatalog);
  }
}

function setup(options: { models?: OpenRouterModel[]; store?: Store } = {}) {
  const store = options.store ?? new FakeStore();
  const clock = { t: 1_750_000_000_000 };
  const upstream = { models: options.models ?? catalogueModels(), fail: false, calls: 0 };
  const cache = new CatalogCache({
    store,
    refreshMs: 6 * HOUR,
    now: () => clock.t,
    fetchCatalogue: async () => {
      upstream.calls++;
      if (upstream.fail) throw new Error('upstream 502');
      return structuredClone(upstream.models);
    },
  });
  return { store, clock, upstream, cache };
}

describe('CatalogCache', () => {
  it('starts empty and current() never fetches', () => {
    const { cache, upstream } = setup();
    expect(cache.current()).toBeNull();
    expect(upstream.calls).toBe(0);
  });

  it('fetches when nothing is stored, saves, and indexes the result', async () => {
    const { cache, store, clock, upstream } = setup();
    expect(await cache.refreshIfStale()).toBe(true);
    expect(upstream.calls).toBe(1);
    const snapshot = cache.current();
    expect(snapshot?.models).toHaveLength(15);
    expect(snapshot?.fetchedAt).toBe(clock.t);
    expect(snapshot?.index.lookup('claude-3-5-sonnet')?.id).toBe('anthropic/claude-3.5-sonnet');
    expect((store as FakeStore).stored()).toEqual({ fetched_at: clock.t, models: upstream.models });
    expect(cache.lastError).toBeNull();
  });

  it('does not fetch again while the copy is fresh, and does once it is stale', async () => {
    const { cache, clock, upstream } = setup();
    await cache.refreshIfStale();
    clock.t += 6 * HOUR - 1;
    expect(await cache.refreshIfStale()).toBe(false);
    expect(upstream.calls).toBe(1);
    clock.t += 1;
    expect(await cache.refreshIfStale()).toBe(true);
    expect(upstream.calls).toBe(2);
  });

  it('load() reads the stored copy once, and a fresh stored copy is not refetched', async () => {
    const { cache, store, clock, upstream } = setup();
    await store.put(CATALOG_STORE_NAME, {
      fetched_at: clock.t - HOUR,
      models: catalogueModels(['openai/gpt-4o']),
    });
    await cache.load();
    await cache.load();
    expect((store as FakeStore).gets).toBe(1);
    expect(cache.current()?.models.map((m) => m.id)).toEqual(['openai/gpt-4o']);
    expect(cache.current()?.fetchedAt).toBe(clock.t - HOUR);
    expect(await cache.refreshIfStale()).toBe(false);
    expect(upstream.calls).toBe(0);
  });

  it('fetches when the stored copy is stale', async () => {
    const { cache, store, clock, upstream } = setup();
    await store.put(CATALOG_STORE_NAME, {
      fetched_at: clock.t - 7 * HOUR,
      models: catalogueModels(['openai/gpt-4o']),
    });
    await cache.load();
    expect(await cache.refreshIfStale()).toBe(true);
    expect(upstream.calls).toBe(1);
    expect(cache.current()?.models).toHaveLength(15);
  });

  it('adopts a fresher copy saved by another instance instead of fetching', async () => {
    const { cache, store, clock, upstream } = setup();
    await cache.refreshIfStale();
    clock.t += 7 * HOUR;
    await store.put(CATALOG_STORE_NAME, {
      fetched_at: clock.t - HOUR,
      models: catalogueModels(['x-ai/grok-2']),
    });
    expect(await cache.refreshIfStale()).toBe(false);
    expect(upstream.calls).toBe(1);
    expect(cache.current()?.models.map((m) => m.id)).toEqual(['x-ai/grok-2']);
  });

  it('keeps the previous copy when the upstream fetch fails', async () => {
    const { cache, clock, upstream } = setup();
    await cache.refreshIfStale();
    const before = cache.current();
    clock.t += 7 * HOUR;
    upstream.fail = true;
    expect(await cache.refreshIfStale()).toBe(false);
    expect(cache.current()).toBe(before);
    expect(cache.lastError).toBe('fetching the catalogue failed: upstream 502; keeping the previous copy');
    upstream.fail = false;
    expect(await cache.refreshIfStale()).toBe(true);
    expect(cache.lastError).toBeNull();
  });

  it('treats an empty or malformed upstream answer as a failure', async () => {
    const { cache, upstream } = setup();
    await cache.refreshIfStale();
    const before = cache.current();
    upstream.models = [{ id: '' }, { name: 'no id' } as unknown as OpenRouterModel];
    await expect(cache.refresh()).rejects.toThrow('the upstream catalogue came back empty');
    expect(cache.current()).toBe(before);
  });

  it('drops entries without an id', async () => {
    const { cache, upstream } = setup();
    upstream.models = [{ id: 'openai/gpt-4o' }, { id: 42 } as unknown as OpenRouterModel];
    await cache.refresh();
    expect(cache.current()?.models).toEqual([{ id: 'openai/gpt-4o' }]);
  });

  it('refresh() fetches even when fresh and rejects on failure', async () => {
    const { cache, upstream } = setup();
    await cache.refreshIfStale();
    await cache.refresh();
    expect(upstream.calls).toBe(2);
    upstream.fail = true;
    await expect(cache.refresh()).rejects.toThrow('upstream 502');
    expect(cache.current()?.models).toHaveLength(15);
  });

  it('keeps the new copy in memory when saving fails', async () => {
    const { cache, store } = setup();
    (store as FakeStore).failPut = true;
    expect(await cache.refreshIfStale()).toBe(true);
    expect(cache.current()?.models).toHaveLength(15);
    expect(cache.lastError).toBe('saving the catalogue failed: store full');
  });

  it('survives a failing store read and retries load() later', async () => {
    const { cache, store, clock } = setup();
    await store.put(CATALOG_STORE_NAME, { fetched_at: clock.t, models: catalogueModels(['openai/gpt-4o']) });
    (store as FakeStore).failGet = true;
    await expect(cache.load()).resolves.toBeUndefined();
    expect(cache.current()).toBeNull();
    expect(cache.lastError).toBe('reading the saved catalogue failed: store down');
    (store as FakeStore).failGet = false;
    await cache.load();
    expect(cache.current()?.models).toHaveLength(1);
  });

  it('ignores a malformed stored copy', async () => {
    const { cache, store, upstream } = setup();
    await store.put(CATALOG_STORE_NAME, { fetched_at: 'yesterday', models: 'none' });
    await cache.load();
    expect(cache.current()).toBeNull();
    expect(await cache.refreshIfStale()).toBe(true);
    expect(upstream.calls).toBe(1);
  });

  it('shares one fetch between concurrent refreshIfStale calls', async () => {
    const { cache, upstream } = setup();
    const results = await Promise.all([
      cache.refreshIfStale(),
      cache.refreshIfStale(),
      cache.refreshIfStale(),
    ]);
    expect(results).toEqual([true, true, true]);
    expect(upstream.calls).toBe(1);
  });

  it('refetches when the stored time lies in the future', async () => {
    const { cache, store, clock, upstream } = setup();
    await store.put(CATALOG_STORE_NAME, {
      fetched_at: clock.t + 24 * HOUR,
      models: catalogueModels(['openai/gpt-4o']),
    });
    await cache.load();
    expect(await cache.refreshIfStale()).toBe(true);
    expect(upstream.calls).toBe(1);
    expect(cache.current()?.fetchedAt).toBe(clock.t);
  });

  it('works with the MemoryStore', async () => {
    const store = new MemoryStore();
    const first = setup({ store });
    await first.cache.refreshIfStale();
    const second = setup({ store });
    await second.cache.load();
    expect(second.cache.current()?.models).toEqual(first.upstream.models);
    expect(await second.cache.refreshIfStale()).toBe(false);
    expect(second.upstream.calls).toBe(0);
  });
});
