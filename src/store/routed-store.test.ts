import { describe, expect, it } from 'vitest';
import { MemoryStore } from './memory-store';
import { RoutedStore } from './routed-store';
import { patchStored, type Store } from './types';

/** A store whose patch is atomic, as the coordinator's is (one at a time, each a read, merge and write). */
function atomicStore(): Store {
  const store = new MemoryStore();
  let queue: Promise<unknown> = Promise.resolve();
  const patching: Store = store;
  patching.patch = <T>(name: string, fields: Record<string, unknown>) => {
    const run = queue.then(async () => {
      const stored = await store.get<Record<string, unknown>>(name);
      if (stored === null) return null;
      const merged = { ...stored, ...fields };
      await store.put(name, merged);
      return merged as T;
    });
    queue = run;
    return run;
  };
  return patching;
}

describe('RoutedStore', () => {
  it("patches the owner's names atomically even when the rest cannot patch (KV)", async () => {
    const owner = atomicStore();
    const routed = new RoutedStore(owner, new MemoryStore(), (name) => name.startsWith('key:'));
    expect(routed.patch).toBeDefined();
    await routed.put('key:1', { l: '', e: 1 });
    // Two isolates' patches of different fields at once, each through the routed store.
    await Promise.all([
      patchStored(routed, 'key:1', { l: 'renamed' }),
      patchStored(new RoutedStore(owner, new MemoryStore(), (name) => name.startsWith('key:')), 'key:1', {
        e: 0,
      }),
    ]);
    expect(await owner.get('key:1')).toEqual({ l: 'renamed', e: 0 });
  });

  it('patches a name of the rest as the rest can', async () => {
    const rest = new MemoryStore();
    const routed = new RoutedStore(atomicStore(), rest, (name) => name.startsWith('key:'));
    await routed.put('stats:1', { a: 1, b: 2 });
    expect(await routed.patch?.('stats:1', { b: 3 })).toEqual({ a: 1, b: 3 });
    expect(await rest.get('stats:1')).toEqual({ a: 1, b: 3 });
  });
});
