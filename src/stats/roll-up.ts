import type { Logger } from '../deps';
import type { ListPage, Store } from '../store/types';
import { addStoredUsage, type StoredUsage } from './client-usage';
import { emptyCounters, mergeCounters } from './counters';
import { emptyBucket, mergeBucket, type StatsBucket } from './stats-bucket';
import {
  BUCKET_MS,
  BUCKET_PREFIX,
  dayKey,
  floorTo,
  HOUR_MS,
  HOUR_TTL_S,
  hourBucketsPrefix,
  hourName,
  monthKey,
  parseBucketName,
  USAGE_NAME,
} from './stats-names';
import type { StoredHour } from './stats-reader';
import type { StoredBucket } from './stats-recorder';

/** The `stu` record: how far the roll-up has come, and the usage per client key it has summed. */
export interface UsageSnapshot {
  v: 1;
  /** Every hour before this time is rolled up into `sth:` records. */
  through: number;
  /** The UTC day and month `dayUsage` and `monthUsage` are of. */
  day: string | null;
  month: string | null;
  dayUsage: StoredUsage;
  monthUsage: StoredUsage;
}

export function emptySnapshot(through: number): UsageSnapshot {
  return { v: 1, through, day: null, month: null, dayUsage: {}, monthUsage: {} };
}

/**
 * Sums the 5-minute records of one hour (every isolate's) into its roll-up,
 * and adds the hour's usage per client key to the snapshot (a new day or
 * month starts from zero). Answers the roll-up, or null for an empty hour.
 */
export function foldHour(snapshot: UsageSnapshot, hour: number, buckets: StatsBucket[]): StoredHour | null {
  if (buckets.length === 0) return null;
  const rolled: StoredHour = { v: 1, ...emptyBucket(hour), sub: {} };
  for (const bucket of buckets) {
    mergeBucket(rolled, bucket);
    const offset = String(Math.floor((bucket.t - hour) / BUCKET_MS));
    rolled.sub[offset] ??= emptyCounters();
    mergeCounters(rolled.sub[offset], bucket.total);
  }
  const day = dayKey(hour);
  const month = monthKey(hour);
  if (snapshot.day !== day) Object.assign(snapshot, { day, dayUsage: {} });
  if (snapshot.month !== month) Object.assign(snapshot, { month, monthUsage: {} });
  for (const [client, c] of Object.entries(rolled.clients)) {
    const totals = { requests: c.n, tokens: c.pt + c.ct, cost: c.c };
    addStoredUsage(snapshot.dayUsage, client, totals);
    addStoredUsage(snapshot.monthUsage, client, totals);
  }
  return rolled;
}

/** Options of {@link rollUp}. */
export interface RollUpOptions {
  store: Store;
  logger: Logger;
  now: number;
  /** An hour is rolled up this long after it ends, once every isolate has written it. */
  graceMs: number;
  /** Most hours per run (bounds one run's storage calls; a backlog is caught up over runs). */
  maxHours: number;
}

/**
 * Rolls up the hours that are over: one `sth:<hour>` write per hour that had
 * requests and one `stu` write per run that moved on. Idempotent: two runs on
 * the same snapshot write the same values.
 */
export async function rollUp(options: RollUpOptions): Promise<UsageSnapshot> {
  const { store, now, graceMs, maxHours } = options;
  let snapshot = await store.get<UsageSnapshot>(USAGE_NAME);
  let moved = false;
  if (!snapshot) {
    snapshot = emptySnapshot(await firstHour(store, now));
    moved = true;
  }
  for (let i = 0; i < maxHours && snapshot.through + HOUR_MS + graceMs <= now; i++) {
    const hour = snapshot.through;
    const buckets = await hourBuckets(store, hour);
    const rolled = foldHour(snapshot, hour, buckets);
    if (rolled) await store.put(hourName(hour), rolled, { ttlSeconds: HOUR_TTL_S });
    snapshot.through = hour + HOUR_MS;
    moved = true;
  }
  if (moved) await store.put(USAGE_NAME, snapshot);
  return snapshot;
}

async function hourBuckets(store: Store, hour: number): Promise<StoredBucket[]> {
  const names: string[] = [];
  let cursor: string | null = null;
  do {
    const page: ListPage = await store.list(hourBucketsPrefix(hour), { cursor });
    for (const entry of page.entries) if (parseBucketName(entry.name)) names.push(entry.name);
    cursor = page.cursor;
  } while (cursor);
  const values = await Promise.all(names.map((name) => store.get<StoredBucket>(name)));
  return values.filter((v): v is StoredBucket => v !== null);
}

/** Where a first roll-up starts: the oldest stored bucket's hour, or this hour. */
async function firstHour(store: Store, now: number): Promise<number> {
  const page = await store.list(BUCKET_PREFIX, { limit: 1 });
  const oldest = page.entries[0] && parseBucketName(page.entries[0].name);
  return oldest ? oldest.hour : floorTo(now, HOUR_MS);
}
