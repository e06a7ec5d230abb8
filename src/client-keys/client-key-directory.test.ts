import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import type { ListOptions, ListPage } from '../store/types';
import { ClientKeyDirectory } from './client-key-directory';
import type { ClientKeyRecord } from './client-key-record';
import { ClientKeyService } from './client-key-service';
import { testClientKey } from './test-client-key';

const record = (id: string, over: Partial<ClientKeyRecord> = {}): ClientKeyRecord =>
  testClientKey({ id, name: id, hash: `${id}hash`, hint: '', ...over });

/** A store whose listings go one record a page, with a hook after each page (numbered from 1 in each listing). */
function pagedStore(afterPage: (page: number) => void) {
  const store = new MemoryStore();
  const list = store.list.bind(store);
  let pages = 0;
  store.list = (async (prefix: string, options?: ListOptions) => {
    if (!options?.cursor) pages = 0;
    const page = (await list(prefix, { ...options, limit: 1 })) as ListPage;
    afterPage(++pages);
    return page;
  }) as MemoryStore['list'];
  return store;
}

describe('ClientKeyDirectory', () => {
  it('keeps a change heard while it lists, on a page it read before', async () => {
    let directory: ClientKeyDirectory | null = null;
    const store = pagedStore((page) => {
      // After the first page (ck:a), the coordinator's feed says ck:a was deleted.
      if (page === 1) directory?.applyChanged([{ name: 'ck:a', value: null }]);
    });
    for (const id of ['a', 'b', 'c']) await store.put(`ck:${id}`, record(id), { meta: record(id) });
    directory = new ClientKeyDirectory({ store });
    await directory.ready();
    expect(directory.byId('a')).toBeNull();
    expect(directory.byId('b')?.id).toBe('b');
    expect(directory.size).toBe(2);
  });

  it('a reload asked by a listing page (the object restarted) lists again after it, without waiting for itself', async () => {
    let directory: ClientKeyDirectory | null = null;
    let lists = 0;
    const store = pagedStore((page) => {
      if (page === 1) lists++;
      // A reload heard on the second page of the first listing; awaiting it would wait for the listing itself.
      if (page === 2 && lists === 1) void directory?.reload();
    });
    for (const id of ['a', 'b']) await store.put(`ck:${id}`, record(id), { meta: record(id) });
    directory = new ClientKeyDirectory({ store });
    await directory.ready();
    expect(directory.complete).toBe(true);
    expect(directory.size).toBe(2);
    expect(lists).toBe(2);
  });

  it('answers bearers from memory once loaded: no read per new bearer, and a deleted key stays deleted', async () => {
    const store = new MemoryStore();
    const clock = { now: () => 0 };
    const plain = new ClientKeyService({ store, clock, cacheTtlMs: 0 });
    const { record: made, key } = await plain.create({ name: 'x' });
    const keys = new ClientKeyDirectory({ store });
    let reads = 0;
    const get = store.get.bind(store);
    store.get = ((name: string) => {
      reads++;
      return get(name);
    }) as MemoryStore['get'];
    const service = new ClientKeyService({
      store,
      clock,
      cacheTtlMs: 0,
      directory: {
        keys,
        syncIsDue: () => false,
        syncDue: () => null,
        syncForUnknown: () => null,
        unreachable: () => null,
      },
    });
    expect((await service.authenticate(key))?.id).toBe(made.id);
    expect(await service.authenticate('cr-unknown')).toBeNull();
    expect(reads).toBe(0);
    expect(service.cached(key)?.id).toBe(made.id);
    service.applyChanged([{ name: `ck:${made.id}`, value: null }]);
    expect(service.cached(key)).toBeNull();
    expect(service.refusalNow(made, 0)?.status).toBe(401);
  });
});
