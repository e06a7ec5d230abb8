import type { Clock, Logger } from '../deps';
import type { Recorder, RequestRecord } from '../proxy/request-record';
import type { Store } from '../store/types';
import { addUsage, type HourlyUsage, pruneUsage } from './client-usage';
import { emptyCounters } from './counters';
import { type LogEntry, toLogEntry } from './log-entry';
import { addRecord, emptyBucket, mergeBucket, type StatsBucket } from './stats-bucket';
import { BUCKET_MS, BUCKET_TTL_S, bucketName, floorTo, HOUR_MS } from './stats-names';

/** A 5-minute record as stored: the bucket's stats and its log lines. */
export interface StoredBucket extends StatsBucket {
  v: 1;
  log: LogEntry[];
}

/** One bucket held in memory until written. */
export interface OpenBucket {
  stats: StatsBucket;
  log: LogEntry[];
  dirty: boolean;
}

/** Options of {@link StatsRecorder}. */
export interface StatsRecorderOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  /** This isolate's (or process's) id: the last part of its record names. */
  isolate: string;
  /** Write buckets still open too (Node: one writer, cheap writes). Workers write each ended bucket once. */
  writeOpenBuckets: boolean;
  /** Least time between two flushes. */
  flushEveryMs: number;
  /** Most log lines kept per bucket. */
  logPerBucket: number;
  /** Receives each request's log line as it is recorded (Node: one JSON line per request). */
  onEntry?: (entry: LogEntry) => void;
  /** Told the name of every record written. */
  onWritten?: (name: string) => void;
  /** How far the roll-up has come (asked before writing a bucket of an hour that is over). */
  rolledThrough?: () => Promise<number>;
}

/**
 * The hot-path end of the stats: `record()` adds a request at once to its
 * 5-minute bucket, the log, the usage per client key and the counters since
 * start (a record queued for later outlives a young-generation collection or
 * two and is copied each time: at 5,000 requests a second that cost more than
 * adding it); `flush()` writes the buckets, each isolate its own records, so no
 * counter is ever read-modified-written.
 */
export class StatsRecorder implements Recorder {
  /** Buckets not yet written for good, by start. */
  readonly buckets = new Map<number, OpenBucket>();
  /** Usage per client key by hour, of the requests this isolate saw (for the caps). */
  readonly usage: HourlyUsage = new Map();
  /** Counters since this isolate started (for /metrics): attempts only in total, under `keys["*"]`. */
  readonly lifetime: StatsBucket = emptyBucket(0);
  /** No request goes into a bucket before this one (written for good, or rolled up). */
  private floor = 0;
  private lastFlush: number;
  private flushing: Promise<void> | null = null;

  constructor(private readonly options: StatsRecorderOptions) {
    this.lastFlush = options.clock.now();
  }

  get isolate(): string {
    return this.options.isolate;
  }

  record(record: RequestRecord): void {
    const usage = record.usage;
    const start = Math.max(floorTo(record.at, BUCKET_MS), this.floor);
    const open = this.bucketAt(start);
    open.dirty = true;
    addRecord(open.stats, record, usage);
    addRecord(this.lifetime, record, usage, '*');
    const entry = toLogEntry(record, usage);
    open.log.push(entry);
    if (open.log.length > 2 * this.options.logPerBucket) open.log.splice(0, this.options.logPerBucket);
    if (record.clientKeyId) {
      const tokens = (usage?.promptTokens ?? 0) + (usage?.completionTokens ?? 0);
      addUsage(this.usage, floorTo(start, HOUR_MS), record.clientKeyId, 1, tokens, usage?.cost ?? 0);
    }
    this.options.onEntry?.(entry);
  }

  /**
   * The roll-up has summed the time before `through`: later requests go after
   * it, and buckets still held from before it move to the first bucket after
   * it (their time shifts, their counts are kept), with their usage.
   */
  rollUpReached(through: number): void {
    const target = Math.max(this.floor, floorTo(through, BUCKET_MS));
    for (const [start, open] of [...this.buckets]) {
      if (start >= target) continue;
      this.buckets.delete(start);
      const into = this.bucketAt(target);
      mergeBucket(into.stats, open.stats);
      into.log.push(...open.log);
      into.dirty = true;
      const from = floorTo(start, HOUR_MS);
      for (const [client, c] of Object.entries(open.stats.clients)) {
        addUsage(this.usage, from, client, -c.n, -(c.pt + c.ct), -c.c);
        addUsage(this.usage, floorTo(target, HOUR_MS), client, c.n, c.pt + c.ct, c.c);
      }
    }
    this.floor = target;
    pruneUsage(this.usage, floorTo(through, HOUR_MS));
  }

  private bucketAt(start: number): OpenBucket {
    let open = this.buckets.get(start);
    if (!open) {
      open = { stats: emptyBucket(start), log: [], dirty: false };
      this.buckets.set(start, open);
    }
    return open;
  }

  /** Whether a flush is due: time has passed and a bucket waits to be written. */
  flushDue(): boolean {
    const now = this.options.clock.now();
    if (now - this.lastFlush < this.options.flushEveryMs) return false;
    for (const open of this.buckets.values()) if (open.dirty && this.writable(open, now, false)) return true;
    return false;
  }

  /** Writes the changed buckets (`final`: open ones too); one flush at a time. */
  flush(final = false): Promise<void> {
    this.flushing ??= this.write(final).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private writable(open: OpenBucket, now: number, final: boolean): boolean {
    return final || this.options.writeOpenBuckets || open.stats.t + BUCKET_MS <= now;
  }

  private async write(final: boolean): Promise<void> {
    const now = this.options.clock.now();
    this.lastFlush = now;
    const { store, isolate, logPerBucket, rolledThrough } = this.options;
    // A bucket of an hour over for a while may come after its roll-up: ask, and move it if so.
    const late = [...this.buckets.keys()].some((t) => floorTo(t, HOUR_MS) + HOUR_MS + BUCKET_MS <= now);
    if (late && rolledThrough) this.rollUpReached(await rolledThrough());
    for (const [start, open] of [...this.buckets]) {
      const ended = start + BUCKET_MS <= now;
      if (open.dirty && this.writable(open, now, final)) {
        open.dirty = false;
        const value: StoredBucket = { v: 1, ...open.stats, log: open.log.slice(-logPerBucket) };
        try {
          const name = bucketName(start, isolate);
          await store.put(name, value, { ttlSeconds: BUCKET_TTL_S });
          this.options.onWritten?.(name);
        } catch (err) {
          open.dirty = true;
          this.options.logger.log('warn', 'stats flush failed', { error: String(err) });
          continue;
        }
      }
      if (ended && !open.dirty) {
        this.buckets.delete(start);
        this.floor = Math.max(this.floor, start + BUCKET_MS);
      }
    }
  }
}

/** An empty stored bucket (for tests and readers). */
export function emptyStoredBucket(t: number): StoredBucket {
  return { v: 1, t, total: emptyCounters(true), models: {}, clients: {}, keys: {}, log: [] };
}
