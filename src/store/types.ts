/**
 * The one storage interface every runtime implements: a key-value store with
 * the semantics of Cloudflare Workers KV (the strictest of the three), so that
 * code written against it behaves the same on KV, SQLite and in memory.
 *
 * - Values are JSON. `get` of a missing or expired key answers `null`.
 * - `meta` is a small JSON object (at most 1024 bytes serialised) returned by
 *   `list`, so that a whole prefix can be read without one `get` per key.
 * - `ttlSeconds`, when given, must be at least 60 (KV's minimum).
 * - `list` answers names in ascending byte order, at most `limit` (1..1000,
 *   default 1000) per page, with a `cursor` for the next page or `null`.
 * - Names are at most 512 bytes.
 */
export interface Store {
  get<T = unknown>(name: string): Promise<T | null>;
  put(name: string, value: unknown, options?: PutOptions): Promise<void>;
  delete(name: string): Promise<void>;
  list<M = unknown>(prefix: string, options?: ListOptions): Promise<ListPage<M>>;
  /**
   * Merges `fields` into the stored JSON object in one transaction (its
   * `meta` too, when it has one and the result fits), answering the merged
   * object, or null when none is stored. Only stores that can do it atomically
   * have it; {@link patchStored} does it for any store.
   */
  patch?<T = unknown>(name: string, fields: Record<string, unknown>): Promise<T | null>;
}

const patching = new WeakMap<Store, Map<string, Promise<unknown>>>();

/**
 * {@link Store.patch} on any store: atomic where the store has it; else a
 * read, merge and write of what is stored (never a copy held in memory),
 * one at a time per name in this process (exact on Node, the only writer;
 * on KV another isolate may still write between the read and the write).
 */
export function patchStored<T extends object>(
  store: Store,
  name: string,
  fields: Partial<T>,
): Promise<T | null> {
  if (store.patch) return store.patch<T>(name, fields as Record<string, unknown>);
  let queue = patching.get(store);
  if (!queue) {
    queue = new Map();
    patching.set(store, queue);
  }
  const names = queue;
  const run = (names.get(name) ?? Promise.resolve())
    .catch(() => {})
    .then(async () => {
      const stored = await store.get<T>(name);
      if (stored === null) return null;
      const merged = { ...stored, ...fields } as T;
      const json = JSON.stringify(merged);
      await store.put(name, merged, {
        meta: new TextEncoder().encode(json).length <= STORE_LIMITS.maxMetaBytes ? merged : undefined,
      });
      return merged;
    });
  names.set(name, run);
  run
    .finally(() => {
      if (names.get(name) === run) names.delete(name);
    })
    .catch(() => {});
  return run;
}

/** Options of {@link Store.put}. */
export interface PutOptions {
  /** Seconds until the entry expires; at least 60. */
  ttlSeconds?: number;
  /** Small JSON object returned by `list` beside the name. */
  meta?: unknown;
}

/** Options of {@link Store.list}. */
export interface ListOptions {
  cursor?: string | null;
  /** 1..1000, default 1000. */
  limit?: number;
}

/** One page of {@link Store.list}. */
export interface ListPage<M = unknown> {
  entries: Array<{ name: string; meta: M | null }>;
  cursor: string | null;
}

/** The limits every implementation enforces, as KV does. */
export const STORE_LIMITS = {
  maxNameBytes: 512,
  maxMetaBytes: 1024,
  minTtlSeconds: 60,
  maxListLimit: 1000,
} as const;

/** Reads every page of a prefix. */
export async function listAll<M = unknown>(
  store: Store,
  prefix: string,
): Promise<Array<{ name: string; meta: M | null }>> {
  const out: Array<{ name: string; meta: M | null }> = [];
  let cursor: string | null = null;
  do {
    const page: ListPage<M> = await store.list<M>(prefix, { cursor });
    out.push(...page.entries);
    cursor = page.cursor;
  } while (cursor);
  return out;
}
