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
