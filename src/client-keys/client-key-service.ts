import type { Clock } from '../deps';
import { AppError } from '../errors';
import { hintOf, randomToken, sha256Hex } from '../lib/crypto';
import { listAll, patchStored, type Store } from '../store/types';
import type { ChangedClientKey, ClientKeyDirectory } from './client-key-directory';
import {
  CLIENT_KEY_PREFIX,
  type ClientKeyChange,
  type ClientKeyRecord,
  clientKeyRefusal,
  unknownClientKey,
} from './client-key-record';

/** Options of {@link ClientKeyService}. */
export interface ClientKeyServiceOptions {
  store: Store;
  clock: Clock;
  /** How long an authenticated key is trusted from memory before storage is read again. */
  cacheTtlMs: number;
  /**
   * With a coordinator (Workers): every client key in memory, kept current by its syncs; bearers
   * are answered from it (`cacheTtlMs` unused), while the coordinator cannot be reached too.
   */
  directory?: {
    keys: ClientKeyDirectory;
    /** Whether memory may be behind: the last sync is a second old and the coordinator is up. */
    syncIsDue(): boolean;
    /** That sync (never rejects), or null when none is due. */
    syncDue(): Promise<void> | null;
    /**
     * A sync (never rejects) for a bearer shaped like a client key that memory does not know (made
     * on another isolate a moment ago?), or null when too many came this second.
     */
    syncForUnknown(): Promise<void> | null;
    /** The refusal (503) while the coordinator is marked down, for a lookup memory cannot answer; else null. */
    unreachable(): AppError | null;
  };
}

/**
 * The cache of looked-up bearers (found or not) holds at most 10,000 entries
 * of at most {@link MAX_BEARER_LENGTH} characters: about 2.6 MB of bearer text
 * at worst, whatever clients send.
 */
const MAX_CACHED = 10_000;

/** The longest bearer looked up; ours are `cr-` and 64 hex digits. Longer ones are refused unread. */
export const MAX_BEARER_LENGTH = 256;
const idOf = (hash: string) => hash.slice(0, 16);
/** What {@link ClientKeyService.create} makes: only a bearer of this shape can be a key memory does not know yet. */
const KEY_SHAPE = /^cr-[0-9a-f]{64}$/;

/**
 * Client keys: created with a random secret shown once, stored as its
 * SHA-256 (`ck:<first 16 hex of the hash>`), looked up by hashing the bearer.
 */
export class ClientKeyService {
  private readonly cache = new Map<string, { record: ClientKeyRecord | null; at: number }>();
  /** With a directory: the id each bearer looked up hashed to (null: none), its record read from the directory. */
  private readonly ids = new Map<string, string | null>();

  constructor(private readonly options: ClientKeyServiceOptions) {}

  /** The record behind a bearer token, or null, when memory holds it still fresh; else undefined. */
  cached(bearer: string, now = this.options.clock.now()): ClientKeyRecord | null | undefined {
    if (bearer.length > MAX_BEARER_LENGTH) return null;
    const { directory } = this.options;
    if (directory) {
      const id = this.ids.get(bearer);
      if (id === undefined || !directory.keys.complete) return undefined;
      const record = id === null ? null : directory.keys.byId(id);
      // A key with limits is admitted by a call that brings the changes (CoordinatedLimits checks it
      // again then); any other waits for a sync once the last is a second old.
      if (record === null) return KEY_SHAPE.test(bearer) && directory.syncIsDue() ? undefined : null;
      if (!record.rpm && !record.cap && directory.syncIsDue()) return undefined;
      return record;
    }
    const hit = this.cache.get(bearer);
    return hit && now - hit.at < this.options.cacheTtlMs ? hit.record : undefined;
  }

  /**
   * The record behind a bearer token, or null; cached. With a directory, rejects (503) only when
   * this isolate has never loaded it and the coordinator cannot be reached.
   */
  async authenticate(bearer: string): Promise<ClientKeyRecord | null> {
    const now = this.options.clock.now();
    const hit = this.cached(bearer, now);
    if (hit !== undefined) return hit;
    const hash = await sha256Hex(bearer);
    if (this.options.directory) return this.fromDirectory(bearer, hash);
    const stored = await this.options.store.get<ClientKeyRecord>(CLIENT_KEY_PREFIX + idOf(hash));
    const record = stored && stored.hash === hash ? stored : null;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(bearer, { record, at: now });
    return record;
  }

  private async fromDirectory(bearer: string, hash: string): Promise<ClientKeyRecord | null> {
    const directory = this.options.directory as NonNullable<ClientKeyServiceOptions['directory']>;
    // Nothing in memory yet: while the coordinator is marked down, no call per request.
    const down = directory.keys.complete ? null : directory.unreachable();
    if (down) throw down;
    const loading = directory.keys.ready();
    if (loading) await loading;
    const id = idOf(hash);
    const lookUp = () => {
      const record = directory.keys.byId(id);
      return record && record.hash === hash ? record : null;
    };
    let record = lookUp();
    const sync = record
      ? record.rpm || record.cap
        ? null
        : directory.syncDue()
      : KEY_SHAPE.test(bearer)
        ? directory.syncForUnknown()
        : null;
    if (sync) {
      await sync;
      record = lookUp();
    }
    if (this.ids.size >= MAX_CACHED) this.ids.delete(this.ids.keys().next().value as string);
    this.ids.set(bearer, record ? id : null);
    return record;
  }

  /**
   * Why a key let in before the latest sync may not be used now (deleted, disabled or expired
   * meanwhile), or null; with a directory only (else always null).
   */
  refusalNow(client: ClientKeyRecord, now: number): AppError | null {
    const { directory } = this.options;
    if (!directory?.keys.complete) return null;
    const record = directory.keys.byId(client.id);
    if (!record || record.hash !== client.hash) return unknownClientKey();
    return clientKeyRefusal(record, now);
  }

  /** Applies the client keys the coordinator says changed (with a directory; else forgets every lookup). */
  applyChanged(entries: ChangedClientKey[]): void {
    const { directory } = this.options;
    if (!directory) {
      this.forget();
      return;
    }
    // A new key may be one a bearer looked up before: those lookups are made again.
    if (directory.keys.applyChanged(entries)) this.ids.clear();
  }

  /** Reads every client key again (the coordinator restarted, or this isolate fell behind). */
  async reload(): Promise<void> {
    this.forget();
    await this.options.directory?.keys.reload();
  }

  /** Creates a key; answers its record and the plaintext, which is never stored. */
  async create(change: ClientKeyChange): Promise<{ record: ClientKeyRecord; key: string }> {
    const key = randomToken('cr-');
    const hash = await sha256Hex(key);
    const at = new Date(this.options.clock.now()).toISOString();
    const record: ClientKeyRecord = {
      id: idOf(hash),
      name: change.name ?? 'client',
      hash,
      hint: hintOf(key),
      enabled: change.enabled ?? true,
      models: change.models ?? null,
      rpm: change.rpm ?? null,
      expires_at: change.expires_at ?? null,
      cap: change.cap ?? null,
      created_at: at,
      updated_at: at,
    };
    await this.write(record);
    return { record, key };
  }

  async list(): Promise<ClientKeyRecord[]> {
    const entries = await listAll<ClientKeyRecord>(this.options.store, CLIENT_KEY_PREFIX);
    const records = await Promise.all(
      entries.map((e) => e.meta ?? this.options.store.get<ClientKeyRecord>(e.name)),
    );
    return records
      .filter((r): r is ClientKeyRecord => r !== null)
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  get(id: string): Promise<ClientKeyRecord | null> {
    return this.options.store.get<ClientKeyRecord>(CLIENT_KEY_PREFIX + id);
  }

  /** Changes only the fields named, on top of the stored record (concurrent changes of other fields stay). */
  async update(id: string, change: ClientKeyChange): Promise<ClientKeyRecord> {
    const fields = dropUndefined({ ...change, updated_at: new Date(this.options.clock.now()).toISOString() });
    const next = await patchStored<ClientKeyRecord>(this.options.store, CLIENT_KEY_PREFIX + id, fields);
    if (!next) throw new AppError(404, `No client key with id ${id}`, 'not_found');
    this.cache.clear();
    return next;
  }

  /** Forgets every cached lookup. */
  forget(): void {
    this.cache.clear();
    this.ids.clear();
  }

  async remove(id: string): Promise<boolean> {
    const existed = (await this.get(id)) !== null;
    await this.options.store.delete(CLIENT_KEY_PREFIX + id);
    this.cache.clear();
    return existed;
  }

  private async write(record: ClientKeyRecord): Promise<void> {
    const meta = new TextEncoder().encode(JSON.stringify(record)).length <= 1024 ? record : undefined;
    await this.options.store.put(CLIENT_KEY_PREFIX + record.id, record, { meta });
    this.cache.clear();
  }
}

function dropUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
