import type { Clock } from '../deps';
import { randomToken } from '../lib/crypto';
import type { Store } from '../store/types';

/**
 * The pool's version record (see docs/storage-schema.md): rewritten by every
 * admin change of the pool, read (one `get`) by every refresh, so that other
 * isolates list `key:` only when something changed. Runtime state writes
 * (`ks:`) never touch it.
 */
export const POOL_VERSION_NAME = 'keys:v';

/** `keys:v`: when the pool last changed (ms), and a random tag so two changes in one ms differ. */
export interface PoolVersion {
  v: number;
  n: string;
}

/** A version as one comparable string; `''` when none is stored yet. */
export function versionTag(version: PoolVersion | null): string {
  return version ? `${version.v}:${version.n}` : '';
}

/** Options of {@link PoolVersionWriter}. */
export interface PoolVersionWriterOptions {
  store: Store;
  clock: Clock;
  /** Least time between two writes (KV takes about one write a second per name). */
  gapMs: number;
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Writes `keys:v`, coalesced: changes announced while a write waits for its
 * turn share it, and two writes are at least `gapMs` apart. A failed write is
 * tried once more after the gap (KV answers 429 to writes too close together).
 */
export class PoolVersionWriter {
  /** The write not started yet, which a new announcement joins. */
  private waiting: Promise<void> | null = null;
  private tail: Promise<void> = Promise.resolve();
  private lastAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: PoolVersionWriterOptions) {}

  /** Resolves once a write that started after this call is stored. */
  announce(): Promise<void> {
    if (this.waiting) return this.waiting;
    const write = this.tail.then(async () => {
      await this.pause(this.lastAt + this.options.gapMs - this.options.clock.now());
      this.waiting = null;
      await this.write();
    });
    this.waiting = write;
    this.tail = write.catch(() => {});
    return write;
  }

  private async write(): Promise<void> {
    const { store, clock, gapMs } = this.options;
    for (let attempt = 1; ; attempt++) {
      this.lastAt = clock.now();
      const version: PoolVersion = { v: this.lastAt, n: randomToken('', 4) };
      try {
        await store.put(POOL_VERSION_NAME, version);
        return;
      } catch (err) {
        if (attempt >= 2) throw err;
        await this.pause(Math.max(gapMs, 1000));
      }
    }
  }

  private async pause(ms: number): Promise<void> {
    if (ms > 0) await (this.options.sleep ?? realSleep)(ms);
  }
}
