// The Node.js Store: one SQLite table with KV semantics, over better-sqlite3.
import { closeSync, existsSync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { ListOptions, ListPage, PutOptions, Store } from '../../store/types';
import {
  compareNames,
  prefixUpperBound,
  validateList,
  validateName,
  validatePut,
} from '../../store/validate';

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** Clock in epoch milliseconds; defaults to `Date.now`. Lets tests move time forward for TTLs. */
  now?: () => number;
}

/** One entry of {@link SqliteStore.putMany}. */
export interface PutManyEntry {
  name: string;
  value: unknown;
  options?: PutOptions;
}

// `name` is compared with BINARY collation (memcmp of UTF-8), i.e. KV's byte order. The
// primary key's index serves the prefix range scans of `list`; `kv_expires` serves `sweep`.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS kv (
  name TEXT PRIMARY KEY COLLATE BINARY,
  value TEXT NOT NULL,
  meta TEXT,
  expires_at INTEGER
);
CREATE INDEX IF NOT EXISTS kv_expires ON kv (expires_at) WHERE expires_at IS NOT NULL;
`;

const LIVE = '(expires_at IS NULL OR expires_at > @now)';

type Statement = Database.Statement;

/**
 * A {@link Store} in a SQLite file (or `':memory:'`): WAL journal, `synchronous=NORMAL`,
 * prepared statements. Expired rows are invisible, deleted lazily when met, and in bulk by {@link sweep}.
 */
export class SqliteStore implements Store {
  readonly #db: Database.Database;
  readonly #now: () => number;
  readonly #get: Statement;
  readonly #put: Statement;
  readonly #delete: Statement;
  readonly #deleteIfExpired: Statement;
  readonly #sweep: Statement;
  readonly #lists = new Map<string, Statement>();

  constructor(file: string, options: SqliteStoreOptions = {}) {
    this.#now = options.now ?? Date.now;
    // It holds the upstream keys in clear: made readable by its owner only (SQLite gives its
    // -wal and -shm files the same mode). An existing file keeps the mode it has.
    if (file !== ':memory:' && !existsSync(file)) closeSync(openSync(file, 'a', 0o600));
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('busy_timeout = 5000');
    this.#db.exec(SCHEMA);
    this.#get = this.#db.prepare('SELECT value, expires_at FROM kv WHERE name = ?');
    this.#put = this.#db.prepare(
      `INSERT INTO kv (name, value, meta, expires_at) VALUES (@name, @value, @meta, @expiresAt)
       ON CONFLICT (name) DO UPDATE SET value = excluded.value, meta = excluded.meta, expires_at = excluded.expires_at`,
    );
    this.#delete = this.#db.prepare('DELETE FROM kv WHERE name = ?');
    this.#deleteIfExpired = this.#db.prepare(`DELETE FROM kv WHERE name = @name AND NOT ${LIVE}`);
    this.#sweep = this.#db.prepare('DELETE FROM kv WHERE expires_at IS NOT NULL AND expires_at <= @now');
  }

  async get<T = unknown>(name: string): Promise<T | null> {
    validateName('GET', name);
    const row = this.#get.get(name) as { value: string; expires_at: number | null } | undefined;
    if (!row) return null;
    const now = this.#now();
    if (row.expires_at !== null && row.expires_at <= now) {
      this.#deleteIfExpired.run({ name, now });
      return null;
    }
    return JSON.parse(row.value) as T;
  }

  async put(name: string, value: unknown, options?: PutOptions): Promise<void> {
    this.#put.run(this.#row(name, value, options));
  }

  /** Puts several entries in one transaction; all are validated before any is written. */
  async putMany(entries: readonly PutManyEntry[]): Promise<void> {
    const checked = entries.map((e) => this.#row(e.name, e.value, e.options));
    this.#db.transaction(() => {
      for (const row of checked) this.#put.run(row);
    })();
  }

  async delete(name: string): Promise<void> {
    validateName('DELETE', name);
    this.#delete.run(name);
  }

  async list<M = unknown>(prefix: string, options?: ListOptions): Promise<ListPage<M>> {
    const { limit, cursor } = validateList(prefix, options);
    const after = cursor !== null && compareNames(cursor, prefix) >= 0;
    const upper = prefixUpperBound(prefix);
    const rows = this.#listStatement(after, upper !== null).all({
      from: after ? cursor : prefix,
      upper,
      now: this.#now(),
      take: limit + 1,
    }) as Array<{ name: string; meta: string | null }>;
    const more = rows.length > limit;
    if (more) rows.length = limit;
    return {
      entries: rows.map((r) => ({ name: r.name, meta: r.meta === null ? null : (JSON.parse(r.meta) as M) })),
      cursor: more ? rows[rows.length - 1].name : null,
    };
  }

  /** Deletes every expired row; answers how many were deleted. */
  sweep(): number {
    return this.#sweep.run({ now: this.#now() }).changes;
  }

  /** Closes the database; the store is unusable afterwards. */
  close(): void {
    this.#db.close();
  }

  #row(name: string, value: unknown, options?: PutOptions) {
    const { json, metaJson, ttlSeconds } = validatePut(name, value, options);
    const expiresAt = ttlSeconds === null ? null : this.#now() + ttlSeconds * 1000;
    return { name, value: json, meta: metaJson, expiresAt };
  }

  #listStatement(after: boolean, bounded: boolean): Statement {
    const key = `${after}:${bounded}`;
    let stmt = this.#lists.get(key);
    if (!stmt) {
      const lower = after ? 'name > @from' : 'name >= @from';
      const upper = bounded ? ' AND name < @upper' : '';
      stmt = this.#db.prepare(
        `SELECT name, meta FROM kv WHERE ${lower}${upper} AND ${LIVE} ORDER BY name LIMIT @take`,
      );
      this.#lists.set(key, stmt);
    }
    return stmt;
  }
}
