import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/memory-store';
import { fakeClock, storeConformance } from './conformance';

storeConformance('MemoryStore', async () => {
  const { now, advance } = fakeClock();
  return { store: new MemoryStore({ now }), advance };
});

describe('MemoryStore', () => {
  it('uses the real clock by default', async () => {
    const store = new MemoryStore();
    await store.put('k', 1, { ttlSeconds: 60 });
    expect(await store.get('k')).toBe(1);
  });

  it('keeps separate instances separate', async () => {
    const a = new MemoryStore();
    await a.put('k', 1);
    expect(await new MemoryStore().get('k')).toBeNull();
  });
});
