import type { Clock, Logger } from '../deps';
import type { ListPage, Store } from '../store/types';
import {
  addUsage,
  fromStoredUsage,
  type HourlyUsage,
  pruneUsage,
  sumUsage,
  type UsageTotals,
} from './client-usage';
import { emptySnapshot, type UsageSnapshot } from './roll-up';
import {
  BUCKET_PREFIX,
  DAY_MS,
  dayKey,
  floorTo,
  HOUR_MS,
  monthKey,
  parseBucketName,
  USAGE_NAME,
} from './stats-names';
import type { StatsRecorder, StoredBucket } from './stats-recorder';

/** A client key's usage today and this month (UTC). */
export interface ClientUsage {
  today: UsageTotals;
  month: UsageTotals;
}

/** Options of {@link UsageLedger}. */
export interface UsageLedgerOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  recorder: StatsRecorder;
  /** Re-read the roll-up's snapshot this often (Workers); 0 = never (Node: it rolls up itself). */
  snapshotRefreshMs: number;
  /** Re-read other isolates' records not yet rolled up this often; 0 = only at load. */
  othersRefreshMs: number;
}

/**
 * Usage per client key for the spending caps and the admin API: the roll-up's
 * sums (`stu`, every isolate, the hours before `through`), plus the 5-minute
 * records of other isolates since (read at load and now and then), plus what
 * this isolate has seen since (exact, in memory). On Workers other isolates'
 * latest requests show up only once they are written and read back.
 */
export class UsageLedger {
  private snapshot: UsageSnapshot = emptySnapshot(0);
  private others: HourlyUsage = new Map();
  private loaded = false;
  private snapshotAt = -1;
  private othersAt = -1;
  private loading: Promise<void> | null = null;
  private loadingSince = 0;

  constructor(private readonly options: UsageLedgerOptions) {}

  get through(): number {
    return this.snapshot.through;
  }

  /** Loads on first use (the promise to await), then refreshes in the background when stale. */
  /** Whether the usage has been read once (no read needs starting). */
  get isLoaded(): boolean {
    return this.loaded;
  }

  ready(): Promise<void> | null {
    const now = this.options.clock.now();
    // On Workers a read started by a request that has ended may never settle: start over after a while.
    if (this.loading && now - this.loadingSince > STUCK_MS) this.loading = null;
    if (!this.loaded) {
      if (!this.loading) {
        this.loadingSince = now;
        this.loading = this.refresh(true).finally(() => {
          this.loading = null;
        });
      }
      return this.loading;
    }
    const { snapshotRefreshMs, othersRefreshMs } = this.options;
    const stale =
      (snapshotRefreshMs > 0 && now - this.snapshotAt >= snapshotRefreshMs) ||
      (othersRefreshMs > 0 && now - this.othersAt >= othersRefreshMs);
    if (stale && !this.loading) {
      this.loadingSince = now;
      this.loading = this.refresh(false)
        .catch((err) => this.options.logger.log('warn', 'usage refresh failed', { error: String(err) }))
        .finally(() => {
          this.loading = null;
        });
    }
    return null;
  }

  /** Takes a snapshot the roll-up just wrote (same isolate). */
  setSnapshot(snapshot: UsageSnapshot): void {
    this.snapshot = snapshot;
    this.snapshotAt = this.options.clock.now();
    pruneUsage(this.others, snapshot.through);
    this.options.recorder.rollUpReached(snapshot.through);
  }

  /** Reads the roll-up's progress now (the recorder asks before writing a late bucket). */
  async rolledThrough(): Promise<number> {
    const stored = await this.options.store.get<UsageSnapshot>(USAGE_NAME);
    if (stored && stored.through > this.snapshot.through) this.setSnapshot(stored);
    return this.snapshot.through;
  }

  /** A client key's usage today and this month. */
  usage(client: string, now: number): ClientUsage {
    const { snapshot } = this;
    const recorder = this.options.recorder;
    const sumSince = (start: number, stored: UsageTotals): UsageTotals => {
      const from = Math.max(start, snapshot.through);
      const mine = sumUsage(recorder.usage, client, from, Number.POSITIVE_INFINITY);
      const theirs = sumUsage(this.others, client, from, Number.POSITIVE_INFINITY);
      return {
        requests: stored.requests + mine.requests + theirs.requests,
        tokens: stored.tokens + mine.tokens + theirs.tokens,
        cost: stored.cost + mine.cost + theirs.cost,
      };
    };
    const day = snapshot.day === dayKey(now) ? fromStoredUsage(snapshot.dayUsage, client) : zero();
    const month = snapshot.month === monthKey(now) ? fromStoredUsage(snapshot.monthUsage, client) : zero();
    const d = new Date(now);
    return {
      today: sumSince(floorTo(now, DAY_MS), day),
      month: sumSince(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), month),
    };
  }

  private async refresh(first: boolean): Promise<void> {
    const { store, clock, snapshotRefreshMs, othersRefreshMs } = this.options;
    const now = clock.now();
    if (first || snapshotRefreshMs > 0) {
      const stored = await store.get<UsageSnapshot>(USAGE_NAME);
      if (stored && stored.through >= this.snapshot.through) this.setSnapshot(stored);
      this.snapshotAt = now;
    }
    if (first || (othersRefreshMs > 0 && now - this.othersAt >= othersRefreshMs)) {
      this.others = await this.readOthers();
      this.othersAt = now;
    }
    this.loaded = true;
  }

  /** Other isolates' usage per hour from their records not yet rolled up. */
  private async readOthers(): Promise<HourlyUsage> {
    const { store, recorder } = this.options;
    const through = this.snapshot.through;
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListPage = await store.list(BUCKET_PREFIX, { cursor });
      for (const { name } of page.entries) {
        const parsed = parseBucketName(name);
        if (parsed && parsed.hour >= through && parsed.isolate !== recorder.isolate) names.push(name);
      }
      cursor = page.cursor;
    } while (cursor);
    const usage: HourlyUsage = new Map();
    const values = await Promise.all(names.map((name) => store.get<StoredBucket>(name)));
    for (const bucket of values) {
      if (!bucket) continue;
      const hour = floorTo(bucket.t, HOUR_MS);
      for (const [client, c] of Object.entries(bucket.clients))
        addUsage(usage, hour, client, c.n, c.pt + c.ct, c.c);
    }
    return usage;
  }
}

const STUCK_MS = 30_000;

const zero = (): UsageTotals => ({ requests: 0, tokens: 0, cost: 0 });
