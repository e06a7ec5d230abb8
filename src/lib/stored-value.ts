import type { Clock } from '../deps';
import type { Store } from '../store/types';

/** Options of {@link StoredValue}. */
export interface StoredValueOptions<T> {
  store: Store;
  clock: Clock;
  name: string;
  fallback: T;
  /** Re-read from storage this often (Workers); 0 = only once (Node, the only writer). */
  refreshMs: number;
}

/**
 * One small record (the model map, the settings) held in memory: read
 * synchronously on the hot path, loaded once, refreshed in the background.
 */
export class StoredValue<T> {
  private value: T;
  private loadedAt = -1;
  private loading: Promise<void> | null = null;

  constructor(private readonly options: StoredValueOptions<T>) {
    this.value = options.fallback;
  }

  /** The value in memory. */
  get current(): T {
    return this.value;
  }

  /** Loads on first use, refreshes once stale; null when nothing needs awaiting. */
  ready(): Promise<void> | null {
    const { clock, refreshMs } = this.options;
    const stale = this.loadedAt < 0 || (refreshMs > 0 && clock.now() - this.loadedAt > refreshMs);
    if (!stale) return null;
    this.loading ??= this.options.store
      .get<T>(this.options.name)
      .then((stored) => {
        if (stored !== null) this.value = stored;
        this.loadedAt = clock.now();
      })
      .finally(() => {
        this.loading = null;
      });
    if (this.loadedAt < 0) return this.loading;
    this.loading.catch(() => {});
    return null;
  }

  /** Takes a value the coordinator says is stored now (null: none, the fallback). */
  replace(value: T | null): void {
    this.value = value ?? this.options.fallback;
    this.loadedAt = this.options.clock.now();
  }

  /** Reads the value again; not before the first load. */
  async reload(): Promise<void> {
    if (this.loadedAt < 0) return;
    const stored = await this.options.store.get<T>(this.options.name);
    this.replace(stored);
  }

  async set(value: T): Promise<void> {
    await this.options.store.put(this.options.name, value);
    this.value = value;
    this.loadedAt = this.options.clock.now();
  }
}
