import type { Clock } from '../deps';
import { AppError } from '../errors';
import { hintOf, randomToken, sha256Hex } from '../lib/crypto';
import { listAll, patchStored, type Store } from '../store/types';
import { CLIENT_KEY_PREFIX, type ClientKeyChange, type ClientKeyRecord } from './client-key-record';

/** Options of {@link ClientKeyService}. */
export interface ClientKeyServiceOptions {
  store: Store;
  clock: Clock;
  /** How long an authenticated key is trusted from memory before storage is read again. */
  cacheTtlMs: number;
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

/**
 * Client keys: created with a random secret shown once, stored as its
 * SHA-256 (`ck:<first 16 hex of the hash>`), looked up by hashing the bearer.
 */
export class ClientKeyService {
  private readonly cache = new Map<string, { record: ClientKeyRecord | null; at: number }>();

  constructor(private readonly options: ClientKeyServiceOptions) {}

  /** The record behind a bearer token, or null, when memory holds it still fresh; else undefined. */
  cached(bearer: string, now = this.options.clock.now()): ClientKeyRecord | null | undefined {
    if (bearer.length > MAX_BEARER_LENGTH) return null;
    const hit = this.cache.get(bearer);
    return hit && now - hit.at < this.options.cacheTtlMs ? hit.record : undefined;
  }

  /** The record behind a bearer token, or null; cached. */
  async authenticate(bearer: string): Promise<ClientKeyRecord | null> {
    const now = this.options.clock.now();
    const hit = this.cached(bearer, now);
    if (hit !== undefined) return hit;
    const hash = await sha256Hex(bearer);
    const stored = await this.options.store.get<ClientKeyRecord>(CLIENT_KEY_PREFIX + idOf(hash));
    const record = stored && stored.hash === hash ? stored : null;
    if (this.cache.size >= MAX_CACHED) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(bearer, { record, at: now });
    return record;
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

  /** Forgets every cached lookup (the coordinator said client keys changed). */
  forget(): void {
    this.cache.clear();
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
