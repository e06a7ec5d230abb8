import type { Clock, Logger } from '../deps';
import { hintOf, sha256Hex } from '../lib/crypto';
import { eachLimited } from '../lib/each-limited';
import { listAll, patchStored, type Store } from '../store/types';
import type { KeyPool, PoolKey } from './key-pool';
import { encodeState, KEY_PREFIX, type KeyRecordMeta, type KeyStateMeta, STATE_PREFIX } from './key-records';
import { initialKeyState, type KeyEvent } from './key-state';
import { applyRecords, applyStates } from './pool-listing';
import { POOL_VERSION_NAME, type PoolVersion, PoolVersionWriter } from './pool-version';
import { KEYS_SAFETY_MS, KV_SETTLE_MS, keysListed, planRefresh, type RefreshMarks } from './refresh-plan';

/** Default of {@link KeyServiceOptions.statesRefreshMs}: 15 minutes. */
export const STATES_REFRESH_MS = 15 * 60_000;

/** Options of {@link KeyService}. */
export interface KeyServiceOptions {
  store: Store;
  pool: KeyPool;
  clock: Clock;
  logger?: Logger;
  /**
   * Workers: read the pool's version record (`keys:v`) this often, and list `key:` when it
   * changed; 0 = never refresh (Node, the only writer), and no version record is written.
   */
  refreshMs: number;
  /** With `refreshMs`: list `ks:` (the key states other isolates wrote) this often. */
  statesRefreshMs?: number;
  /** Least time between two writes of `keys:v`; default 1000 (KV: about one write a second per name). */
  versionGapMs?: number;
  /** Coalesce state writes for this long, so one key is written at most once per window. */
  flushDelayMs?: number;
}

/** The id of a key: the first 16 hex digits of its SHA-256 (so the same key always has the same id). */
export async function keyId(secret: string): Promise<string> {
  return (await sha256Hex(secret)).slice(0, 16);
}

/**
 * The pool and its storage: loads it, keeps it fresh, applies the admin's
 * changes (announcing them in `keys:v`), and writes state changes coalesced
 * (never one write per request).
 */
export class KeyService {
  readonly pool: KeyPool;
  private readonly dirty = new Set<string>();
  /** When this isolate last changed a key (admin), for KV_SETTLE_MS: a listing may not show it yet. */
  private readonly own = new Map<string, number>();
  private readonly version: PoolVersionWriter;
  private marks: RefreshMarks = { keysAt: -1, tag: '', settleAt: null, statesAt: -1 };
  private loadedAt = -1;
  private loading: Promise<void> | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: KeyServiceOptions) {
    this.pool = options.pool;
    this.version = new PoolVersionWriter({
      store: options.store,
      clock: options.clock,
      gapMs: options.versionGapMs ?? 1000,
    });
  }

  /** Loads the pool on first use; afterwards refreshes it in the background once stale. */
  ready(): Promise<void> | null {
    // A failed load is forgotten (finally), so the next call tries again.
    if (this.loadedAt < 0) {
      this.loading ??= this.load().finally(() => {
        this.loading = null;
      });
      return this.loading;
    }
    const stale =
      this.options.refreshMs > 0 && this.options.clock.now() - this.loadedAt > this.options.refreshMs;
    if (stale && !this.loading) {
      this.loading = this.refresh()
        .catch((err) => this.options.logger?.log('warn', 'pool refresh failed', { error: String(err) }))
        .finally(() => {
          this.loading = null;
        });
      return this.loading;
    }
    return null;
  }

  /** Applies the records and states the coordinator says changed (a null value: deleted). */
  applyChanged(entries: Array<{ name: string; value: unknown; meta: unknown }>): void {
    const now = this.options.clock.now();
    const records: Array<{ name: string; meta: KeyRecordMeta }> = [];
    const states: Array<{ name: string; meta: KeyStateMeta }> = [];
    for (const { name, value, meta } of entries) {
      const stored = (meta ?? value) as KeyRecordMeta & KeyStateMeta;
      if (name.startsWith(KEY_PREFIX)) {
        if (value !== null) records.push({ name, meta: stored });
        else {
          const id = name.slice(KEY_PREFIX.length);
          this.pool.remove(id);
          this.dirty.delete(id);
        }
      } else if (name.startsWith(STATE_PREFIX) && value !== null) states.push({ name, meta: stored });
    }
    applyRecords(this.pool, records, now, { removeUnlisted: false, ownChange: () => false });
    applyStates(this.pool, states, now, this.dirty);
  }

  /** Reads the whole pool again (the coordinator restarted, or this isolate fell behind); not before the first load. */
  async reload(): Promise<void> {
    if (this.loadedAt < 0) return;
    await this.load(true);
  }

  /** The first load: everything. */
  private async load(removeUnlisted = false): Promise<void> {
    const { store, clock } = this.options;
    const now = clock.now();
    const [version, records, states] = await Promise.all([
      store.get<PoolVersion>(POOL_VERSION_NAME),
      listAll<KeyRecordMeta>(store, KEY_PREFIX),
      listAll<KeyStateMeta>(store, STATE_PREFIX),
    ]);
    applyRecords(this.pool, records, now, { removeUnlisted, ownChange: () => false });
    applyStates(this.pool, states, now, this.dirty);
    this.marks = { ...keysListed(this.marks, version, now), statesAt: now };
    this.loadedAt = now;
  }

  /** One `get` of `keys:v`; `key:` and `ks:` are listed only when {@link planRefresh} says so. */
  private async refresh(): Promise<void> {
    const { store, clock } = this.options;
    const now = clock.now();
    const version = await store.get<PoolVersion>(POOL_VERSION_NAME);
    const plan = planRefresh(this.marks, version, now, {
      keysSafetyMs: KEYS_SAFETY_MS,
      statesMs: this.options.statesRefreshMs ?? STATES_REFRESH_MS,
    });
    const [records, states] = await Promise.all([
      plan.keys ? listAll<KeyRecordMeta>(store, KEY_PREFIX) : null,
      plan.states ? listAll<KeyStateMeta>(store, STATE_PREFIX) : null,
    ]);
    if (records) {
      for (const [id, at] of this.own) if (now - at >= KV_SETTLE_MS) this.own.delete(id);
      applyRecords(this.pool, records, now, { removeUnlisted: true, ownChange: (id) => this.own.has(id) });
      this.marks = keysListed(this.marks, version, now);
    }
    if (states) {
      applyStates(this.pool, states, now, this.dirty);
      this.marks = { ...this.marks, statesAt: now };
    }
    this.loadedAt = now;
  }

  /** Notes that this isolate is changing these keys now (Workers): listings leave them be for a while. */
  private mark(ids: string[]): void {
    if (this.options.refreshMs <= 0) return;
    const at = this.options.clock.now();
    for (const id of ids) this.own.set(id, at);
  }

  /** Announces this isolate's change of these keys, once stored, in `keys:v` (Workers). */
  private async changed(ids: string[]): Promise<void> {
    if (this.options.refreshMs <= 0 || ids.length === 0) return;
    this.mark(ids);
    await this.version.announce();
  }

  /**
   * Adds keys (trimmed, blanks dropped); duplicates of pooled keys or within the list are skipped.
   * `skipped` counts the duplicates: a blank entry is not a key, so it is neither added nor skipped.
   */
  async importKeys(secrets: string[], label: string): Promise<{ added: PoolKey[]; skipped: number }> {
    await this.ready();
    const given = secrets.map((s) => s.trim()).filter(Boolean);
    const unique = [...new Set(given)];
    const ids = await Promise.all(unique.map(keyId));
    const now = this.options.clock.now();
    const added: PoolKey[] = [];
    for (let i = 0; i < unique.length; i++) {
      if (this.pool.get(ids[i])) continue;
      const secret = unique[i];
      added.push(
        this.pool.upsert(
          { id: ids[i], secret, hint: hintOf(secret), label, enabled: true, createdAt: now },
          now,
        ),
      );
    }
    const addedIds = added.map((key) => key.id);
    this.mark(addedIds);
    try {
      await eachLimited(added, 32, (key) => this.writeRecord(key, now));
    } catch (err) {
      // The import failed: none of its keys may stay in use, stored or not.
      for (const key of added) this.pool.remove(key.id);
      await eachLimited(added, 32, (key) => this.options.store.delete(KEY_PREFIX + key.id)).catch(() => {});
      // Another isolate may have listed some of them meanwhile.
      await this.changed(addedIds).catch(() => {});
      throw err;
    }
    await this.changed(addedIds);
    return { added, skipped: given.length - added.length };
  }

  /** Changes a key's label or enabled flag; null when there is no such key. */
  async update(id: string, change: { enabled?: boolean; label?: string }): Promise<PoolKey | null> {
    return (await this.updateMany([id], change))[0] ?? null;
  }

  /**
   * Changes the label or enabled flag of these keys (unknown ids are skipped); one `keys:v` write.
   * Only the fields named change, on top of the stored record (never this isolate's copy, which
   * may be old): a label edit here cannot re-enable a key disabled elsewhere.
   */
  async updateMany(ids: string[], change: { enabled?: boolean; label?: string }): Promise<PoolKey[]> {
    await this.ready();
    const now = this.options.clock.now();
    const fields: Partial<KeyRecordMeta> = { u: now };
    if (change.label !== undefined) fields.l = change.label;
    if (change.enabled !== undefined) fields.e = change.enabled ? 1 : 0;
    const done: PoolKey[] = [];
    try {
      await eachLimited(ids, 8, async (id) => {
        this.mark([id]);
        // Stored first: the pool changes only once the change is kept.
        const stored = await patchStored<KeyRecordMeta>(this.options.store, KEY_PREFIX + id, fields);
        if (!stored) return;
        const key = this.pool.get(id);
        done.push(
          this.pool.upsert(
            {
              id,
              secret: stored.s,
              hint: key?.hint ?? hintOf(stored.s),
              label: stored.l,
              enabled: stored.e === 1,
              createdAt: stored.c,
              state: key ? undefined : initialKeyState(stored.c),
            },
            now,
          ),
        );
      });
    } finally {
      await this.changed(done.map((key) => key.id));
    }
    return done;
  }

  /** Deletes a key and its state; false when there was no such key. */
  async remove(id: string): Promise<boolean> {
    return (await this.removeMany([id])) > 0;
  }

  /** Deletes these keys and their states; one `keys:v` write. Answers how many existed. */
  async removeMany(ids: string[]): Promise<number> {
    await this.ready();
    const removed: string[] = [];
    try {
      await eachLimited(ids, 8, async (id) => {
        this.mark([id]);
        // A key this isolate has not listed yet may still be stored (added elsewhere).
        const existed = this.pool.remove(id) || (await this.options.store.get(KEY_PREFIX + id)) !== null;
        this.dirty.delete(id);
        if (!existed) return;
        await Promise.all([
          this.options.store.delete(KEY_PREFIX + id),
          this.options.store.delete(STATE_PREFIX + id),
        ]);
        removed.push(id);
      });
    } finally {
      await this.changed(removed);
    }
    return removed.length;
  }

  /** Records what happened to a key; a change of health is written soon, coalesced. */
  report(id: string, event: KeyEvent): boolean {
    const changed = this.pool.report(id, event, this.options.clock.now());
    if (changed) this.dirty.add(id);
    return changed;
  }

  /** Marks a key's state (credit, check time) for the next flush. */
  touch(id: string): void {
    if (this.pool.get(id)) this.dirty.add(id);
  }

  /** Writes the changed states after a short delay; the same promise while one is pending. */
  flushSoon(): Promise<void> | null {
    if (this.dirty.size === 0) return this.flushing;
    this.flushing ??= new Promise<void>((resolve) => setTimeout(resolve, this.options.flushDelayMs ?? 1000))
      .then(() => this.flush())
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  /** Writes every changed state now. */
  async flush(): Promise<void> {
    const ids = [...this.dirty];
    this.dirty.clear();
    await eachLimited(ids, 16, async (id) => {
      const key = this.pool.get(id);
      if (!key) return;
      const meta = encodeState(key.state, key.checkedAt ?? null, key.credit ?? null);
      await this.options.store.put(STATE_PREFIX + id, meta, { meta });
    });
  }

  private async writeRecord(
    key: Pick<PoolKey, 'id' | 'secret' | 'label' | 'enabled' | 'createdAt'>,
    now: number,
  ): Promise<void> {
    const meta: KeyRecordMeta = {
      s: key.secret,
      l: key.label,
      e: key.enabled ? 1 : 0,
      c: key.createdAt,
      u: now,
    };
    await this.options.store.put(KEY_PREFIX + key.id, meta, { meta });
  }
}
