import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { KvStore } from '../../src/runtime/workers/kv-store';
import { storeConformance } from '../store/conformance';

// No `advance`: KV's clock cannot be moved, so the TTL expiry tests skip here.
storeConformance('KvStore (Miniflare KV in workerd)', async () => ({ store: new KvStore(env.ROUTER_KV) }));

async function message(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected a rejection');
}

describe('KvStore over the raw binding', () => {
  const store = new KvStore(env.ROUTER_KV);

  it('stores values as JSON text and meta as KV metadata', async () => {
    await store.put('raw-check', { a: [1] }, { meta: { m: 1 } });
    expect(await env.ROUTER_KV.get('raw-check')).toBe('{"a":[1]}');
    expect((await env.ROUTER_KV.getWithMetadata('raw-check')).metadata).toEqual({ m: 1 });
    await store.delete('raw-check');
    expect(await env.ROUTER_KV.get('raw-check')).toBeNull();
  });

  it('rejects bad calls with the very messages KV itself gives', async () => {
    const long = 'a'.repeat(513);
    const meta = { s: 'x'.repeat(1100) };
    const pairs: Array<[() => Promise<unknown>, () => Promise<unknown>]> = [
      [() => store.put('x', 1, { ttlSeconds: 59 }), () => env.ROUTER_KV.put('x', '1', { expirationTtl: 59 })],
      [() => store.put(long, 1), () => env.ROUTER_KV.put(long, '1')],
      [() => store.get(long), () => env.ROUTER_KV.get(long)],
      [() => store.put('x', 1, { meta }), () => env.ROUTER_KV.put('x', '1', { metadata: meta })],
    ];
    for (const [ours, theirs] of pairs) expect(await message(ours)).toBe(await message(theirs));
  });
});
