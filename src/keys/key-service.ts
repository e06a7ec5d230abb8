import type { Clock, Logger } from '../deps';
import { hintOf, sha256Hex } from '../lib/crypto';
import { eachLimited } from '../lib/each-limited';
import { listAll, type Store } from '../store/types';
import type { KeyPool, PoolKey } from './key-pool';
import {
  decodeState,
  encodeState,
  KEY_PREFIX,
  type KeyRecordMeta,
  type KeyStateMeta,
  STATE_PREFIX,
} from './key-records';
import type { KeyEvent } from './key-state';

/** Options of {@link KeyService}. */
export interface KeyServiceOptions {
  store: Store;
  pool: KeyPool;
  clock: Clock;
  logger?: Logger;
  /** Re-read the pool from storage this often (Workers); 0 = never (Node, the only writer). */
  refreshMs: number;
  /** Coalesce state writes for this long, so one key is written at most once per window. */
  flushDelayMs?: number;
}

/** The id of a key: the first 16 hex digits of its SHA-256 (so the same key always has the same id). */
export async function keyId(secret: string): Promise<string> {
  return (await sha256Hex(secret)).slice(0, 16);
}

/**
 * The pool and its storage: loads it, keeps it fresh, applies the admin's
 * changes, and writes state changes coalesced (never one write per request).
 */
export class KeyService {
  readonly pool: KeyPool;
  private readonly dirty = new Set<string>();
  private loadedAt = -1;
  private loading: Promise<void> | null = null;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: KeyServiceOptions) {
    this.pool = options.pool;
  }

  /** Loads the pool on first use; afterwards reloads in the background once stale. */
  ready(): Promise<void> | null {
    const now = this.options.clock.now();
    // A failed load is forgotten (finally), so the next call tries again.
    if (this.loadedAt < 0) {
      this.loading ??= this.load().finally(() => {
        this.loading = null;
      });
      return this.loading;
    }
    const stale = this.options.refreshMs > 0 && now - this.loadedAt > this.options.refreshMs;
    if (stale && !this.loading) {
      this.loading = this.load()
        .catch((err) => this.options.logger?.log('warn', 'pool refresh failed', { error: String(err) }))
        .finally(() => {
          this.loading = null;
        });
      return this.loading;
    }
    return null;
  }

  private async load(): Promise<void> {
    const { store, clock } = this.options;
    const [records, states] = await Promise.all([
      listAll<KeyRecordMeta>(store, KEY_PREFIX),
      listAll<KeyStateMeta>(store, STATE_PREFIX),
    ]);
    const stateById = new Map(states.map((s) => [s.name.slice(STATE_PREFIX.length), s.meta]));
    const now = clock.now();
    const seen = new Set<string>();
    for (const { name, meta } of records) {
      if (!meta) continue;
      const id = name.slice(KEY_PREFIX.length);
      seen.add(id);
      const stored = stateById.get(id);
      const current = this.pool.get(id);
      const keepMine = current && (this.dirty.has(id) || !stored || current.state.changedAt > stored.t);
      const key = this.pool.upsert(
        {
          id,
          secret: meta.s,
          hint: hintOf(meta.s),
          label: meta.l,
          enabled: meta.e === 1,
          createdAt: meta.c,
          state: keepMine || !stored ? current?.state : decodeState(stored),
        },
        now,
      );
      if (stored && !keepMine) {
        key.checkedAt = stored.ck ?? null;
        key.credit = stored.cr ?? null;
      }
    }
    if (this.loadedAt >= 0)
      for (const key of [...this.pool.values()]) if (!seen.has(key.id)) this.pool.remove(key.id);
    this.loadedAt = now;
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
    try {
      await eachLimited(added, 32, (key) => this.writeRecord(key, now));
    } catch (err) {
      // The import failed: none of its keys may stay in use, stored or not.
      for (const key of added) this.pool.remove(key.id);
      await eachLimited(added, 32, (key) => this.options.store.delete(KEY_PREFIX + key.id)).catch(() => {});
      throw err;
    }
    return { added, skipped: given.length - added.length };
  }

  /** Changes a key's label or enabled flag; null when there is no such key. */
  async update(id: string, change: { enabled?: boolean; label?: string }): Promise<PoolKey | null> {
    await this.ready();
    const key = this.pool.get(id);
    if (!key) return null;
    const now = this.options.clock.now();
    // Stored first: the pool changes only once the change is kept.
    await this.writeRecord({ ...key, ...change }, now);
    return this.pool.upsert({ ...key, ...change }, now);
  }

  /** Deletes a key and its state. */
  async remove(id: string): Promise<boolean> {
    await this.ready();
    const existed = this.pool.remove(id);
    this.dirty.delete(id);
    await Promise.all([
      this.options.store.delete(KEY_PREFIX + id),
      this.options.store.delete(STATE_PREFIX + id),
    ]);
    return existed;
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
