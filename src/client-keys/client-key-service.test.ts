import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../store/memory-store';
import { ClientKeyService, MAX_BEARER_LENGTH } from './client-key-service';

/** A store that counts its reads. */
function countingStore() {
  const store = new MemoryStore();
  let reads = 0;
  const get = store.get.bind(store);
  store.get = ((name: string) => {
    reads++;
    return get(name);
  }) as MemoryStore['get'];
  return { store, reads: () => reads };
}

describe('ClientKeyService bearer lookups', () => {
  it('refuses an over-long bearer without a lookup and without caching it', async () => {
    const { store, reads } = countingStore();
    const service = new ClientKeyService({ store, clock: { now: () => 0 }, cacheTtlMs: 30_000 });
    const cache = (service as unknown as { cache: Map<string, unknown> }).cache;
    for (let i = 0; i < 3000; i++) {
      const bogus = `${i}-${'x'.repeat(15 * 1024)}`;
      expect(service.cached(bogus)).toBeNull();
      expect(await service.authenticate(bogus)).toBeNull();
    }
    expect(reads()).toBe(0);
    expect(cache.size).toBe(0);
  });

  it('still looks up (and finds) a real key, and a bearer at the bound', async () => {
    const { store, reads } = countingStore();
    const service = new ClientKeyService({ store, clock: { now: () => 0 }, cacheTtlMs: 30_000 });
    const { record, key } = await service.create({ name: 'a' });
    expect((await service.authenticate(key))?.id).toBe(record.id);
    expect(await service.authenticate('y'.repeat(MAX_BEARER_LENGTH))).toBeNull();
    expect(reads()).toBe(2);
  });
});
