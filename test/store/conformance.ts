// The conformance suite every Store implementation must pass, on Node and inside
// workerd alike: import only from vitest and src/store/*.
//
// Every test works under its own fresh name prefix, so implementations backed by
// shared storage (a KV binding) need no reset between tests.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listAll, type Store } from '../../src/store/types';
import { StoreError } from '../../src/store/validate';

/** What a suite factory hands the conformance suite for one test. */
export interface StoreHarness {
  store: Store;
  /** Moves the store's clock forward; TTL expiry tests run only when given. */
  advance?: (ms: number) => void;
  cleanup?: () => Promise<void>;
}

/** A clock for TTL tests: pass `now` to the store and `advance` to the suite. */
export function fakeClock(start = Date.UTC(2026, 0, 1)): {
  now: () => number;
  advance: (ms: number) => void;
} {
  let t = start;
  return {
    now: () => t,
    advance: (ms) => {
      t += ms;
    },
  };
}

const encoder = new TextEncoder();
const bytes = (s: string) => encoder.encode(s);

/** Byte-wise comparison of UTF-8 encodings, independent of the implementations' helper. */
function byteOrder(a: string, b: string): number {
  const x = bytes(a);
  const y = bytes(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i] - y[i];
  return x.length - y.length;
}

async function putAll(store: Store, names: string[], batch = 100): Promise<void> {
  for (let i = 0; i < names.length; i += batch) {
    await Promise.all(names.slice(i, i + batch).map((n, j) => store.put(n, { i: i + j })));
  }
}

async function names(store: Store, prefix: string): Promise<string[]> {
  return (await listAll(store, prefix)).map((e) => e.name);
}

/** Defines the shared `Store` conformance suite, calling `make` once per test. */
export function storeConformance(name: string, make: () => Promise<StoreHarness>): void {
  describe(`Store conformance: ${name}`, () => {
    let h: StoreHarness;
    let store: Store;
    /** This test's own prefix. */
    let p: string;

    beforeEach(async () => {
      h = await make();
      store = h.store;
      p = `t-${crypto.randomUUID().slice(0, 8)}/`;
    });
    afterEach(async () => {
      await h.cleanup?.();
    });

    describe('get / put / delete', () => {
      it('answers null for a missing name', async () => {
        expect(await store.get(`${p}missing`)).toBeNull();
      });

      it('round-trips a value, then deletes it', async () => {
        await store.put(`${p}a`, { hello: 'world' });
        expect(await store.get(`${p}a`)).toEqual({ hello: 'world' });
        await store.delete(`${p}a`);
        expect(await store.get(`${p}a`)).toBeNull();
        expect(await names(store, p)).toEqual([]);
      });

      it('deletes a missing name without error', async () => {
        await expect(store.delete(`${p}never`)).resolves.toBeUndefined();
      });

      it('overwrites a value, its meta and its ttl', async () => {
        await store.put(`${p}k`, 1, { meta: { v: 1 }, ttlSeconds: 60 });
        await store.put(`${p}k`, 2);
        expect(await store.get(`${p}k`)).toBe(2);
        expect(await listAll(store, p)).toEqual([{ name: `${p}k`, meta: null }]);
        if (h.advance) {
          h.advance(3600_000);
          expect(await store.get(`${p}k`)).toBe(2);
        }
      });

      it.each<[string, unknown]>([
        ['string', 'text'],
        ['empty string', ''],
        ['zero', 0],
        ['negative float', -1.5],
        ['large integer', Number.MAX_SAFE_INTEGER],
        ['true', true],
        ['false', false],
        ['empty array', []],
        ['array', [1, 'two', null, { three: 3 }]],
        ['empty object', {}],
        ['nested object', { a: { b: { c: [true, false, null] } }, s: 'ü 😀 "quoted" \\ \n' }],
      ])('round-trips a JSON %s', async (_kind, value) => {
        await store.put(`${p}v`, value);
        expect(await store.get(`${p}v`)).toEqual(value);
      });

      it('stores null as a present entry', async () => {
        await store.put(`${p}n`, null);
        expect(await store.get(`${p}n`)).toBeNull();
        expect(await names(store, p)).toEqual([`${p}n`]);
      });

      it('stores JSON, not a live object', async () => {
        const value = { list: [1], when: new Date(0) };
        await store.put(`${p}o`, value);
        value.list.push(2);
        const read = await store.get<{ list: number[]; when: string }>(`${p}o`);
        expect(read).toEqual({ list: [1], when: '1970-01-01T00:00:00.000Z' });
        read?.list.push(3);
        expect(await store.get(`${p}o`)).toEqual({ list: [1], when: '1970-01-01T00:00:00.000Z' });
      });
    });

    describe('meta', () => {
      it('is returned by list, and null when absent', async () => {
        await store.put(`${p}with`, 'x', { meta: { state: 'ok', n: 2, tags: ['a'] } });
        await store.put(`${p}without`, 'y');
        expect(await store.list(p)).toEqual({
          entries: [
            { name: `${p}with`, meta: { state: 'ok', n: 2, tags: ['a'] } },
            { name: `${p}without`, meta: null },
          ],
          cursor: null,
        });
      });

      it('accepts exactly 1024 bytes and rejects 1025', async () => {
        const overhead = bytes(JSON.stringify({ s: '' })).length;
        const fits = { s: 'é'.repeat((1024 - overhead) / 2) };
        expect(bytes(JSON.stringify(fits)).length).toBe(1024);
        await store.put(`${p}m`, 1, { meta: fits });
        expect((await store.list(p)).entries[0].meta).toEqual(fits);
        const over = { s: `${fits.s}x` };
        await expect(store.put(`${p}m2`, 1, { meta: over })).rejects.toThrow(StoreError);
        await expect(store.put(`${p}m2`, 1, { meta: over })).rejects.toThrow(/Metadata length of 1025/);
        expect(await store.get(`${p}m2`)).toBeNull();
      });
    });

    describe('list', () => {
      it('isolates prefixes (key: / keys: / ke)', async () => {
        await putAll(
          store,
          ['key:1', 'key:2', 'keys:1', 'ke', 'k', 'kez'].map((n) => p + n),
        );
        expect(await names(store, `${p}key:`)).toEqual([`${p}key:1`, `${p}key:2`]);
        expect(await names(store, `${p}keys:`)).toEqual([`${p}keys:1`]);
        expect(await names(store, `${p}key`)).toEqual([`${p}key:1`, `${p}key:2`, `${p}keys:1`]);
        expect(await names(store, `${p}ke`)).toEqual(
          ['ke', 'key:1', 'key:2', 'keys:1', 'kez'].map((n) => p + n),
        );
        expect(await names(store, `${p}nothing`)).toEqual([]);
      });

      it('answers names in ascending UTF-8 byte order', async () => {
        const set = ['~', 'a', 'B', 'Z', 'a b', 'a-', 'ab', 'é', 'Ω', '\u{FFFD}', '😀', '日本', '0', '_'];
        await putAll(
          store,
          set.map((n) => p + n),
        );
        const expected = [
          '0',
          'B',
          'Z',
          '_',
          'a',
          'a b',
          'a-',
          'ab',
          '~',
          'é',
          'Ω',
          '日本',
          '\u{FFFD}',
          '😀',
        ];
        expect([...set].sort(byteOrder)).toEqual(expected);
        expect(await names(store, p)).toEqual(expected.map((n) => p + n));
      });

      it('pages 2,500 entries by 1000 with a cursor, each name once', async () => {
        const all = Array.from({ length: 2500 }, (_, i) => `${p}item:${String(i).padStart(5, '0')}`);
        await putAll(store, [...all].reverse());
        const sizes: number[] = [];
        const seen: string[] = [];
        let cursor: string | null = null;
        do {
          const page: Awaited<ReturnType<Store['list']>> = await store.list(p, { cursor });
          sizes.push(page.entries.length);
          seen.push(...page.entries.map((e) => e.name));
          cursor = page.cursor;
        } while (cursor && sizes.length < 10);
        expect(sizes).toEqual([1000, 1000, 500]);
        expect(seen).toEqual(all);
      }, 120_000);

      it('pages with a small limit', async () => {
        const all = Array.from({ length: 20 }, (_, i) => `${p}n${String(i).padStart(2, '0')}`);
        await putAll(store, all);
        const first = await store.list(p, { limit: 7 });
        expect(first.entries.map((e) => e.name)).toEqual(all.slice(0, 7));
        expect(typeof first.cursor).toBe('string');
        const second = await store.list(p, { limit: 7, cursor: first.cursor });
        expect(second.entries.map((e) => e.name)).toEqual(all.slice(7, 14));
        const third = await store.list(p, { limit: 7, cursor: second.cursor });
        expect(third.entries.map((e) => e.name)).toEqual(all.slice(14));
        expect(third.cursor).toBeNull();
      });

      it('ends on an exactly full last page', async () => {
        const all = Array.from({ length: 10 }, (_, i) => `${p}${i}`);
        await putAll(store, all);
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page: Awaited<ReturnType<Store['list']>> = await store.list(p, { limit: 5, cursor });
          expect(page.entries.length).toBeLessThanOrEqual(5);
          seen.push(...page.entries.map((e) => e.name));
          cursor = page.cursor;
        } while (cursor && ++pages < 5);
        expect(cursor).toBeNull();
        expect(seen).toEqual(all);
      });

      it('treats a null cursor as the first page', async () => {
        await putAll(store, [`${p}a`, `${p}b`]);
        expect((await store.list(p, { cursor: null, limit: 1 })).entries).toEqual([
          { name: `${p}a`, meta: null },
        ]);
      });

      it('lists with an empty prefix', async () => {
        await store.put(`${p}x`, 1);
        const page = await store.list('', { limit: 10 });
        expect(page.entries.length).toBeGreaterThan(0);
        expect(page.entries.length).toBeLessThanOrEqual(10);
        const got = page.entries.map((e) => e.name);
        expect([...got].sort(byteOrder)).toEqual(got);
      });
    });

    describe('ttl', () => {
      it('rejects a ttl under 60 seconds, and writes nothing', async () => {
        for (const ttlSeconds of [59, 1, 0, -5, Number.NaN]) {
          await expect(store.put(`${p}t`, 1, { ttlSeconds })).rejects.toThrow(StoreError);
        }
        await expect(store.put(`${p}t`, 1, { ttlSeconds: 59 })).rejects.toThrow(
          'KV PUT failed: 400 Invalid expiration_ttl of 59. Expiration TTL must be at least 60.',
        );
        expect(await store.get(`${p}t`)).toBeNull();
      });

      it('accepts a ttl of 60 seconds and more', async () => {
        await store.put(`${p}t60`, 'a', { ttlSeconds: 60 });
        await store.put(`${p}tday`, 'b', { ttlSeconds: 86_400, meta: { m: 1 } });
        expect(await store.get(`${p}t60`)).toBe('a');
        expect(await listAll(store, p)).toEqual([
          { name: `${p}t60`, meta: null },
          { name: `${p}tday`, meta: { m: 1 } },
        ]);
      });

      it('hides an expired entry from get and list (controllable clock)', async (ctx) => {
        const advance = h.advance;
        if (!advance) return ctx.skip();
        await store.put(`${p}short`, 's', { ttlSeconds: 60, meta: { x: 1 } });
        await store.put(`${p}long`, 'l', { ttlSeconds: 120 });
        await store.put(`${p}forever`, 'f');
        advance(59_999);
        expect(await store.get(`${p}short`)).toBe('s');
        advance(1);
        expect(await store.get(`${p}short`)).toBeNull();
        expect(await names(store, p)).toEqual([`${p}forever`, `${p}long`]);
        advance(60_000);
        expect(await store.get(`${p}long`)).toBeNull();
        expect(await listAll(store, p)).toEqual([{ name: `${p}forever`, meta: null }]);
        expect(await store.get(`${p}forever`)).toBe('f');
      });

      it('fills list pages past expired entries (controllable clock)', async (ctx) => {
        const advance = h.advance;
        if (!advance) return ctx.skip();
        for (let i = 0; i < 10; i++) {
          await store.put(`${p}${i}`, i, i % 2 === 0 ? { ttlSeconds: 60 } : {});
        }
        advance(61_000);
        const first = await store.list(p, { limit: 3 });
        expect(first.entries.map((e) => e.name)).toEqual([`${p}1`, `${p}3`, `${p}5`]);
        const rest = await store.list(p, { limit: 3, cursor: first.cursor });
        expect(rest.entries.map((e) => e.name)).toEqual([`${p}7`, `${p}9`]);
        expect(rest.cursor).toBeNull();
      });

      it('lets a put without ttl replace an expiring entry (controllable clock)', async (ctx) => {
        const advance = h.advance;
        if (!advance) return ctx.skip();
        await store.put(`${p}k`, 1, { ttlSeconds: 60 });
        advance(120_000);
        expect(await store.get(`${p}k`)).toBeNull();
        await store.put(`${p}k`, 2, { ttlSeconds: 60 });
        advance(30_000);
        expect(await store.get(`${p}k`)).toBe(2);
      });
    });

    describe('validation', () => {
      it('rejects an empty name for get, put and delete', async () => {
        await expect(store.get('')).rejects.toThrow(StoreError);
        await expect(store.put('', 1)).rejects.toThrow(/cannot be empty/);
        await expect(store.delete('')).rejects.toThrow(StoreError);
      });

      it('rejects the names "." and ".."', async () => {
        await expect(store.put('.', 1)).rejects.toThrow(/not allowed as a key name/);
        await expect(store.get('..')).rejects.toThrow(StoreError);
      });

      it('accepts a 512-byte name and rejects 513 bytes', async () => {
        const room = 512 - bytes(p).length;
        const fits = p + 'é'.repeat(Math.floor(room / 2)) + 'a'.repeat(room % 2);
        expect(bytes(fits).length).toBe(512);
        await store.put(fits, 'ok', { meta: { long: true } });
        expect(await store.get(fits)).toBe('ok');
        expect(await listAll(store, p)).toEqual([{ name: fits, meta: { long: true } }]);
        const over = `${fits}a`;
        await expect(store.put(over, 1)).rejects.toThrow(
          'KV PUT failed: 414 UTF-8 encoded length of 513 exceeds key length limit of 512.',
        );
        await expect(store.get(over)).rejects.toThrow(StoreError);
        await expect(store.delete(over)).rejects.toThrow(StoreError);
        await expect(store.list(over)).rejects.toThrow(StoreError);
      });

      it('rejects a limit outside 1..1000', async () => {
        for (const limit of [0, -1, 1001, 1.5, Number.NaN]) {
          await expect(store.list(p, { limit })).rejects.toThrow(StoreError);
        }
        await expect(store.list(p, { limit: 0 })).rejects.toThrow(/key_count_limit/);
        await expect(store.list(p, { limit: 1000 })).resolves.toEqual({ entries: [], cursor: null });
        await expect(store.list(p, { limit: 1 })).resolves.toEqual({ entries: [], cursor: null });
      });

      it('rejects a value that is not JSON', async () => {
        await expect(store.put(`${p}u`, undefined)).rejects.toThrow(StoreError);
        await expect(store.put(`${p}f`, () => 1)).rejects.toThrow(StoreError);
        await expect(store.put(`${p}b`, 1n)).rejects.toThrow();
        expect(await names(store, p)).toEqual([]);
      });
    });

    describe('concurrency and names', () => {
      it('keeps all of 200 parallel puts of distinct names', async () => {
        const all = Array.from({ length: 200 }, (_, i) => `${p}c${String(i).padStart(3, '0')}`);
        await Promise.all(all.map((n, i) => store.put(n, { i }, { meta: { i } })));
        const listed = await listAll<{ i: number }>(store, p);
        expect(listed.map((e) => e.name)).toEqual(all);
        expect(listed.map((e) => e.meta?.i)).toEqual(all.map((_, i) => i));
        const values = await Promise.all(all.map((n) => store.get<{ i: number }>(n)));
        expect(values.map((v) => v?.i)).toEqual(all.map((_, i) => i));
      }, 60_000);

      it('round-trips unicode and punctuation in names', async () => {
        const set = [
          '日本語',
          'emoji 😀',
          'Ωmega',
          'with space',
          'slash/and:colon',
          'percent%20',
          'q?x=1',
          'hash#h',
          'plus+',
        ];
        for (const n of set) await store.put(p + n, n, { meta: { n } });
        for (const n of set) expect(await store.get(p + n)).toBe(n);
        const listed = await listAll<{ n: string }>(store, p);
        expect(listed.map((e) => e.name)).toEqual(set.map((n) => p + n).sort(byteOrder));
        expect(listed.every((e) => p + e.meta?.n === e.name)).toBe(true);
        expect(await names(store, `${p}日本`)).toEqual([`${p}日本語`]);
      });
    });
  });
}
