import type { Store } from '../store/types';
import { buildCatalogIndex, type CatalogIndex } from './catalog-index';
import type { OpenRouterModel } from './models-list';

/** The store name of the saved catalogue. */
export const CATALOG_STORE_NAME = 'catalog';

/** The saved catalogue: `fetched_at` is milliseconds since the epoch. */
export interface StoredCatalog {
  fetched_at: number;
  models: OpenRouterModel[];
}

/** The catalogue in memory, ready for the hot path. */
export interface CatalogSnapshot {
  models: readonly OpenRouterModel[];
  index: CatalogIndex;
  fetchedAt: number;
}

/** Dependencies of {@link CatalogCache}. */
export interface CatalogCacheOptions {
  store: Store;
  fetchCatalogue: () => Promise<OpenRouterModel[]>;
  now?: () => number;
  /** How old (ms) the saved copy may be before {@link CatalogCache.refreshIfStale} fetches. */
  refreshMs: number;
  vendorPreference?: readonly string[];
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function cleanModels(value: unknown): OpenRouterModel[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (m): m is OpenRouterModel =>
      typeof m === 'object' &&
      m !== null &&
      typeof (m as { id?: unknown }).id === 'string' &&
      (m as { id: string }).id !== '',
  );
}

/**
 * OpenRouter's model catalogue: kept in memory for the hot path
 * ({@link current}, synchronous, never fetches) and saved in the store so a
 * restart or another isolate does not fetch it again before it is stale.
 */
export class CatalogCache {
  private snapshot: CatalogSnapshot | null = null;
  private loaded = false;
  private pending: Promise<boolean> | null = null;
  private error: string | null = null;
  private readonly now: () => number;

  constructor(private readonly options: CatalogCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  /** The catalogue in memory, or `null` before anything was loaded or fetched. */
  current(): CatalogSnapshot | null {
    return this.snapshot;
  }

  /** The last failure of a read, fetch or save, or `null` after a success. */
  get lastError(): string | null {
    return this.error;
  }

  /** Reads the saved copy into memory, once; a failed read is retried by the next call. Never rejects. */
  async load(): Promise<void> {
    if (this.loaded) return;
    if (await this.readStored()) this.loaded = true;
  }

  /**
   * Fetches upstream when the catalogue is absent or older than `refreshMs`,
   * after first adopting a fresher copy another instance saved. Answers whether
   * it fetched a new copy; on failure keeps the previous one (see {@link lastError}).
   */
  refreshIfStale(): Promise<boolean> {
    this.pending ??= this.checkAndRefresh().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  /** Fetches upstream now and saves the result; rejects on failure, keeping the previous copy. */
  async refresh(): Promise<void> {
    let models: OpenRouterModel[];
    try {
      models = cleanModels(await this.options.fetchCatalogue());
      if (models.length === 0) throw new Error('the upstream catalogue came back empty');
    } catch (err) {
      this.error = `fetching the catalogue failed: ${messageOf(err)}; keeping the previous copy`;
      throw err;
    }
    const fetchedAt = this.now();
    this.adopt(models, fetchedAt);
    this.error = null;
    try {
      await this.options.store.put(CATALOG_STORE_NAME, {
        fetched_at: fetchedAt,
        models,
      } satisfies StoredCatalog);
    } catch (err) {
      this.error = `saving the catalogue failed: ${messageOf(err)}`;
    }
  }

  private isFresh(): boolean {
    if (!this.snapshot) return false;
    const age = this.now() - this.snapshot.fetchedAt;
    return age >= 0 && age < this.options.refreshMs;
  }

  private async checkAndRefresh(): Promise<boolean> {
    if (this.isFresh()) return false;
    await this.readStored();
    if (this.isFresh()) return false;
    try {
      await this.refresh();
      return true;
    } catch {
      return false;
    }
  }

  /** Adopts the saved copy when it is newer than memory; answers whether the read worked. */
  private async readStored(): Promise<boolean> {
    let stored: Partial<StoredCatalog> | null;
    try {
      stored = await this.options.store.get<Partial<StoredCatalog>>(CATALOG_STORE_NAME);
    } catch (err) {
      this.error = `reading the saved catalogue failed: ${messageOf(err)}`;
      return false;
    }
    const fetchedAt = stored?.fetched_at;
    const models = cleanModels(stored?.models);
    if (typeof fetchedAt !== 'number' || !Number.isFinite(fetchedAt) || models.length === 0) return true;
    if (!this.snapshot || fetchedAt > this.snapshot.fetchedAt) this.adopt(models, fetchedAt);
    return true;
  }

  private adopt(models: OpenRouterModel[], fetchedAt: number): void {
    const index = buildCatalogIndex(
      models.map((m) => m.id),
      { vendorPreference: this.options.vendorPreference },
    );
    this.snapshot = { models, index, fetchedAt };
  }
}
