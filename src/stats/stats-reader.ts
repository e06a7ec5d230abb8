import type { Clock } from '../deps';
import type { ListPage, Store } from '../store/types';
import type { Counters } from './counters';
import type { LogEntry } from './log-entry';
import type { StatsBucket } from './stats-bucket';
import { BUCKET_MS, HOUR_MS, hourBucketsPrefix, hourName, parseBucketName } from './stats-names';
import type { StatsRecorder, StoredBucket } from './stats-recorder';

/** An hourly roll-up as stored: the hour's stats, and its 5-minute totals by offset (0..11). */
export interface StoredHour extends StatsBucket {
  v: 1;
  sub: Record<string, Counters>;
}

/** What a time range is made of: 5-minute buckets, and hourly roll-ups. */
export type StatsPiece = { kind: 'bucket'; bucket: StatsBucket } | { kind: 'hour'; hour: StoredHour };

/** Options of {@link StatsReader}. */
export interface StatsReaderOptions {
  store: Store;
  clock: Clock;
  recorder: StatsRecorder;
  /** Keep the listing of a recent hour this long (Workers: lists are the scarcest KV operation). */
  listCacheMs: number;
}

const MAX_CACHED = 1500;
/** A 5-minute record this old is no longer written by anyone: safe to keep in memory. */
const SETTLED_MS = 3 * BUCKET_MS;

/**
 * Reads stats back: roll-ups for the hours the roll-up has done (`through`),
 * every isolate's 5-minute records for the hours after, and this isolate's
 * buckets still in memory (which win over its own stored copies).
 */
export class StatsReader {
  private readonly hours = new Map<number, StoredHour | null>();
  private readonly buckets = new Map<string, StoredBucket>();
  private readonly lists = new Map<number, { at: number; names: string[] }>();

  constructor(private readonly options: StatsReaderOptions) {}

  /** The pieces covering the hours of [from, to). */
  async pieces(from: number, to: number, through: number): Promise<StatsPiece[]> {
    const { recorder } = this.options;
    const out: StatsPiece[] = [];
    const reads: Array<Promise<void>> = [];
    for (let hour = from; hour < to; hour += HOUR_MS) {
      if (hour < through) {
        reads.push(
          this.hour(hour).then((h) => {
            if (h) out.push({ kind: 'hour', hour: h });
          }),
        );
      } else {
        reads.push(
          this.storedBuckets(hour, false).then((list) => {
            for (const b of list) out.push({ kind: 'bucket', bucket: b });
          }),
        );
      }
    }
    await Promise.all(reads);
    for (const open of recorder.buckets.values())
      if (open.stats.t >= from && open.stats.t < to) out.push({ kind: 'bucket', bucket: open.stats });
    return out;
  }

  /** The newest log lines first, at most `limit` that pass `keep`, from the last `spanMs`. */
  async logs(limit: number, keep: (entry: LogEntry) => boolean, spanMs: number): Promise<LogEntry[]> {
    const { recorder, clock } = this.options;
    const now = clock.now();
    const found: LogEntry[] = [];
    const oldest = now - spanMs;
    for (let hour = Math.floor(now / HOUR_MS) * HOUR_MS; hour >= oldest - HOUR_MS; hour -= HOUR_MS) {
      const groups = new Map<number, LogEntry[][]>();
      const add = (t: number, log: LogEntry[]) => {
        const list = groups.get(t) ?? [];
        list.push(log);
        groups.set(t, list);
      };
      for (const open of recorder.buckets.values())
        if (open.stats.t >= hour && open.stats.t < hour + HOUR_MS) add(open.stats.t, open.log);
      for (const stored of await this.storedBuckets(hour, true)) add(stored.t, stored.log ?? []);
      for (const t of [...groups.keys()].sort((a, b) => b - a)) {
        for (const log of groups.get(t) ?? []) for (const entry of log) if (keep(entry)) found.push(entry);
        if (found.length >= limit) break;
      }
      if (found.length >= limit) break;
    }
    found.sort((a, b) => (a.time < b.time ? 1 : a.time > b.time ? -1 : 0));
    return found.slice(0, limit);
  }

  /** Adds a record this isolate just wrote to a cached listing, so the next read sees it. */
  noteWritten(name: string): void {
    const parsed = parseBucketName(name);
    const cached = parsed && this.lists.get(parsed.hour);
    if (cached && !cached.names.includes(name)) cached.names.push(name);
  }

  private async hour(hour: number): Promise<StoredHour | null> {
    if (this.hours.has(hour)) return this.hours.get(hour) ?? null;
    const value = await this.options.store.get<StoredHour>(hourName(hour));
    remember(this.hours, hour, value);
    return value;
  }

  /** Every isolate's stored 5-minute records of an hour, minus this isolate's buckets still in memory. */
  private async storedBuckets(hour: number, withLog: boolean): Promise<StoredBucket[]> {
    const { recorder } = this.options;
    const names = await this.list(hour);
    const wanted = names.filter((name) => {
      const parsed = parseBucketName(name);
      return parsed && !(parsed.isolate === recorder.isolate && recorder.buckets.has(parsed.bucket));
    });
    const values = await Promise.all(wanted.map((name) => this.bucket(name, withLog)));
    return values.filter((v): v is StoredBucket => v !== null);
  }

  private async bucket(name: string, withLog: boolean): Promise<StoredBucket | null> {
    const cached = this.buckets.get(name);
    if (cached && !withLog) return cached;
    const value = await this.options.store.get<StoredBucket>(name);
    const parsed = parseBucketName(name);
    if (value && parsed && parsed.bucket + BUCKET_MS + SETTLED_MS <= this.options.clock.now())
      remember(this.buckets, name, { ...value, log: [] });
    return value;
  }

  private async list(hour: number): Promise<string[]> {
    const now = this.options.clock.now();
    const cached = this.lists.get(hour);
    const settled = hour + HOUR_MS + SETTLED_MS <= (cached?.at ?? 0);
    if (cached && (settled || now - cached.at < this.options.listCacheMs)) return cached.names;
    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ListPage = await this.options.store.list(hourBucketsPrefix(hour), { cursor });
      for (const entry of page.entries) names.push(entry.name);
      cursor = page.cursor;
    } while (cursor);
    remember(this.lists, hour, { at: now, names });
    return names;
  }
}

function remember<K, V>(map: Map<K, V>, key: K, value: V): void {
  if (map.size >= MAX_CACHED) map.delete(map.keys().next().value as K);
  map.set(key, value);
}
