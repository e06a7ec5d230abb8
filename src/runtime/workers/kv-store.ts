// The Workers Store: a thin layer over a KV namespace binding. Calls are checked
// with the shared validation first, so errors match the other implementations.
import type { ListOptions, ListPage, PutOptions, Store } from '../../store/types';
import { validateList, validateName, validatePut } from '../../store/validate';

/**
 * A {@link Store} over a Workers KV namespace. Note that KV is eventually
 * consistent across locations, and a `list` page may hold fewer than `limit`
 * entries while still answering a cursor; use `listAll` to read a whole prefix.
 */
export class KvStore implements Store {
  constructor(private readonly kv: KVNamespace) {}

  async get<T = unknown>(name: string): Promise<T | null> {
    validateName('GET', name);
    return this.kv.get<T>(name, { type: 'json' });
  }

  async put(name: string, value: unknown, options?: PutOptions): Promise<void> {
    const { json, metaJson, ttlSeconds } = validatePut(name, value, options);
    const kvOptions: KVNamespacePutOptions = {};
    if (ttlSeconds !== null) kvOptions.expirationTtl = ttlSeconds;
    if (metaJson !== null) kvOptions.metadata = JSON.parse(metaJson);
    await this.kv.put(name, json, kvOptions);
  }

  async delete(name: string): Promise<void> {
    validateName('DELETE', name);
    await this.kv.delete(name);
  }

  async list<M = unknown>(prefix: string, options?: ListOptions): Promise<ListPage<M>> {
    const { limit, cursor } = validateList(prefix, options);
    const page = await this.kv.list<M>({ prefix, limit, cursor });
    return {
      entries: page.keys.map((k) => ({ name: k.name, meta: k.metadata ?? null })),
      cursor: page.list_complete ? null : page.cursor,
    };
  }
}
