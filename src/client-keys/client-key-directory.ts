import type { ListPage, Store } from '../store/types';
import { CLIENT_KEY_PREFIX, type ClientKeyRecord } from './client-key-record';

/** Options of {@link ClientKeyDirectory}. */
export interface ClientKeyDirectoryOptions {
  /** The coordinator's store (Workers): strongly consistent, every answer bringing the changes since. */
  store: Store;
}

/** A changed `ck:` record as the coordinator's feed brings it; `value` null when it was deleted. */
export interface ChangedClientKey {
  name: string;
  value: unknown;
}

/**
 * Every client key of the deployment, in an isolate's memory (Workers with a
 * coordinator): the stored records, which hold the key's SHA-256, never the
 * key. Loaded once with a listing, then kept current by the changes every
 * answer of the coordinator brings, so that a bearer is answered from memory,
 * while the coordinator cannot be reached too, as of the isolate's last sync:
 * a key deleted or disabled before it never comes back. A record is some
 * 300 bytes of JSON: a few MB of memory for the contract's 10,000 keys.
 */
export class ClientKeyDirectory {
  private records = new Map<string, ClientKeyRecord>();
  private loaded = false;
  private loading: Promise<void> | null = null;
  /** The changes heard while a listing runs, applied on top of it (a page may predate them). */
  private during: ChangedClientKey[] | null = null;
  private pagesRead = 0;
  private again = false;

  constructor(private readonly options: ClientKeyDirectoryOptions) {}

  /** Whether every client key is in memory. */
  get complete(): boolean {
    return this.loaded;
  }

  /** How many client keys memory holds. */
  get size(): number {
    return this.records.size;
  }

  /** The record with this id, or null. */
  byId(id: string): ClientKeyRecord | null {
    return this.records.get(id) ?? null;
  }

  /** Null once loaded; else the first load (shared), which rejects when the coordinator cannot be reached. */
  ready(): Promise<void> | null {
    if (this.loaded) return null;
    return this.start();
  }

  /**
   * Reads every client key again (the coordinator restarted, or this isolate fell behind); not
   * before the first load. Asked during a listing that has read a page, it lists again after it
   * (without waiting: the call that asked may be one of the listing's own).
   */
  reload(): Promise<void> {
    if (this.loading) {
      if (this.pagesRead > 0) this.again = true;
      return Promise.resolve();
    }
    if (!this.loaded) return Promise.resolve();
    return this.start();
  }

  /** Applies the `ck:` records the coordinator says changed; answers whether a new key appeared. */
  applyChanged(entries: ChangedClientKey[]): boolean {
    let added = false;
    for (const entry of entries) {
      this.during?.push(entry);
      if (applyOne(this.records, entry)) added = true;
    }
    return added;
  }

  private start(): Promise<void> {
    this.loading ??= (async () => {
      do {
        this.again = false;
        await this.load();
      } while (this.again);
    })().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const { store } = this.options;
    const during: ChangedClientKey[] = [];
    this.during = during;
    this.pagesRead = 0;
    try {
      const entries: Array<{ name: string; meta: ClientKeyRecord | null }> = [];
      let cursor: string | null = null;
      do {
        const page: ListPage<ClientKeyRecord> = await store.list<ClientKeyRecord>(CLIENT_KEY_PREFIX, {
          cursor,
        });
        this.pagesRead++;
        entries.push(...page.entries);
        cursor = page.cursor;
      } while (cursor);
      // Records too large for a listing's meta are read one by one (rare: a long list of models).
      const values = await Promise.all(entries.map((e) => e.meta ?? store.get<ClientKeyRecord>(e.name)));
      const next = new Map<string, ClientKeyRecord>();
      entries.forEach((entry, i) => {
        applyOne(next, { name: entry.name, value: values[i] });
      });
      for (const change of during) applyOne(next, change);
      this.records = next;
      this.loaded = true;
    } finally {
      this.during = null;
      this.pagesRead = 0;
    }
  }
}

/** Puts one record in (or takes it out); answers whether its id was not there before. */
function applyOne(records: Map<string, ClientKeyRecord>, entry: ChangedClientKey): boolean {
  const id = entry.name.slice(CLIENT_KEY_PREFIX.length);
  const record = entry.value as ClientKeyRecord | null;
  if (!record || typeof record !== 'object' || typeof record.hash !== 'string') {
    records.delete(id);
    return false;
  }
  const added = !records.has(id);
  records.set(id, record);
  return added;
}
