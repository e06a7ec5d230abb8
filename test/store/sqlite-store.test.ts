import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SqliteStore } from '../../src/runtime/node/sqlite-store';
import { listAll } from '../../src/store/types';
import { fakeClock, storeConformance } from './conformance';

const tempFile = () => join(tmpdir(), `cloudrouter-store-${randomUUID()}.db`);
const removeDb = (file: string) =>
  Promise.all(['', '-wal', '-shm'].map((s) => rm(file + s, { force: true })));

storeConformance('SqliteStore (temp file)', async () => {
  const { now, advance } = fakeClock();
  const file = tempFile();
  const store = new SqliteStore(file, { now });
  return {
    store,
    advance,
    cleanup: async () => {
      store.close();
      await removeDb(file);
    },
  };
});

storeConformance('SqliteStore (:memory:)', async () => {
  const { now, advance } = fakeClock();
  const store = new SqliteStore(':memory:', { now });
  return { store, advance, cleanup: async () => store.close() };
});

describe('SqliteStore', () => {
  const files: string[] = [];
  const open = (now?: () => number) => {
    const file = tempFile();
    files.push(file);
    return { file, store: new SqliteStore(file, { now }) };
  };
  afterEach(async () => {
    await Promise.all(files.splice(0).map(removeDb));
  });

  it('keeps data across close and reopen of the same file', async () => {
    const { file, store } = open();
    await store.put('a', { v: 1 }, { meta: { m: 'x' } });
    await store.put('b', [1, 2], { ttlSeconds: 3600 });
    store.close();
    const again = new SqliteStore(file);
    expect(await again.get('a')).toEqual({ v: 1 });
    expect(await again.get('b')).toEqual([1, 2]);
    expect(await listAll(again, '')).toEqual([
      { name: 'a', meta: { m: 'x' } },
      { name: 'b', meta: null },
    ]);
    again.close();
  });

  it('uses WAL, and the primary key index for prefix range scans', async () => {
    const { file, store } = open();
    await store.put('x', 1);
    const db = new Database(file, { readonly: true });
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    const plan = db
      .prepare(
        "EXPLAIN QUERY PLAN SELECT name, meta FROM kv WHERE name >= 'key:' AND name < 'key;' ORDER BY name LIMIT 10",
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((r) => r.detail).join('\n')).toMatch(
      /SEARCH kv USING INDEX sqlite_autoindex_kv_1 \(name>\? AND name<\?\)/,
    );
    db.close();
    store.close();
  });

  it('sweep() deletes expired rows and answers how many', async () => {
    let t = 1_000_000;
    const { file, store } = open(() => t);
    await store.putMany([
      { name: 'a', value: 1, options: { ttlSeconds: 60 } },
      { name: 'b', value: 2, options: { ttlSeconds: 60 } },
      { name: 'c', value: 3 },
    ]);
    expect(store.sweep()).toBe(0);
    t += 60_000;
    expect(store.sweep()).toBe(2);
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT name FROM kv').pluck().all()).toEqual(['c']);
    db.close();
  });

  it('deletes an expired row when get meets it', async () => {
    let t = 0;
    const { file, store } = open(() => t);
    await store.put('a', 1, { ttlSeconds: 60 });
    t = 60_000;
    expect(await store.get('a')).toBeNull();
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM kv').pluck().get()).toBe(0);
    db.close();
  });

  it('putMany writes nothing when one entry is invalid', async () => {
    const { store } = open();
    await expect(
      store.putMany([
        { name: 'ok', value: 1 },
        { name: 'bad', value: 2, options: { ttlSeconds: 5 } },
      ]),
    ).rejects.toThrow(/at least 60/);
    expect(await store.get('ok')).toBeNull();
    store.close();
  });

  it('lists prefixes ending in U+10FFFF and past the last code point', async () => {
    const { store } = open();
    const max = String.fromCodePoint(0x10ffff);
    await store.put(`a${max}`, 1);
    await store.put(`a${max}${max}`, 2);
    await store.put('b', 3);
    expect((await listAll(store, `a${max}`)).map((e) => e.name)).toEqual([`a${max}`, `a${max}${max}`]);
    expect((await listAll(store, max)).map((e) => e.name)).toEqual([]);
    store.close();
  });
});
