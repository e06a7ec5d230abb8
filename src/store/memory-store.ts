// An in-process Store with the semantics of Workers KV: for tests, and for
// single-process use without persistence. No node:* imports (runs in workerd).
import type { ListOptions, ListPage, PutOptions, Store } from './types';
import { compareNames, validateList, validateName, validatePut } from './validate';

interface Entry {
  json: string;
  metaJson: string | null;
  /** Epoch milliseconds, or null for no expiry. */
  expiresAt: number | null;
}

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Clock in epoch milliseconds; defaults to `Date.now`. Lets tests move time forward for TTLs. */
  now?: () => number;
}

/**
 * A {@link Store} held in memory. Values are kept as JSON text, so callers
 * never share objects with the store; names are kept sorted in byte order.
 */
export class MemoryStore implements Store {
  readonly #entries = new Map<string, Entry>();
  /** Every name in `#entries`, in ascending byte order. */
  readonly #names: string[] = [];
  readonly #now: () => number;

  constructor(options: MemoryStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
  }

  async get<T = unknown>(name: string): Promise<T | null> {
    validateName('GET', name);
    const entry = this.#live(name);
    return entry ? (JSON.parse(entry.json) as T) : null;
  }

  async put(name: string, value: unknown, options?: PutOptions): Promise<void> {
    const { json, metaJson, ttlSeconds } = validatePut(name, value, options);
    const expiresAt = ttlSeconds === null ? null : this.#now() + ttlSeconds * 1000;
    if (!this.#entries.has(name)) this.#names.splice(this.#search(name), 0, name);
    this.#entries.set(name, { json, metaJson, expiresAt });
  }

  async delete(name: string): Promise<void> {
    validateName('DELETE', name);
    this.#remove(name);
  }

  async list<M = unknown>(prefix: string, options?: ListOptions): Promise<ListPage<M>> {
    const { limit, cursor } = validateList(prefix, options);
    let i = this.#search(prefix);
    if (cursor !== null && compareNames(cursor, prefix) >= 0) {
      i = this.#search(cursor);
      if (this.#names[i] === cursor) i++;
    }
    const entries: ListPage<M>['entries'] = [];
    const expired: string[] = [];
    let more = false;
    for (; i < this.#names.length; i++) {
      const name = this.#names[i];
      if (!name.startsWith(prefix)) break;
      const entry = this.#entries.get(name) as Entry;
      if (this.#expired(entry)) {
        expired.push(name);
        continue;
      }
      if (entries.length === limit) {
        more = true;
        break;
      }
      entries.push({ name, meta: entry.metaJson === null ? null : (JSON.parse(entry.metaJson) as M) });
    }
    for (const name of expired) this.#remove(name);
    return { entries, cursor: more ? entries[entries.length - 1].name : null };
  }

  #live(name: string): Entry | null {
    const entry = this.#entries.get(name);
    if (!entry) return null;
    if (this.#expired(entry)) {
      this.#remove(name);
      return null;
    }
    return entry;
  }

  #expired(entry: Entry): boolean {
    return entry.expiresAt !== null && entry.expiresAt <= this.#now();
  }

  #remove(name: string): void {
    if (!this.#entries.delete(name)) return;
    this.#names.splice(this.#search(name), 1);
  }

  /** Index of the first name not less than `name` (binary search). */
  #search(name: string): number {
    let lo = 0;
    let hi = this.#names.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareNames(this.#names[mid], name) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
