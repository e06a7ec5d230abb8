import type { ClientKeyRecord } from '../client-keys/client-key-record';
import type { Clock, Logger } from '../deps';
import type { AppError } from '../errors';
import type { Store } from '../store/types';
import type { UsageTotals } from './client-usage';
import type { LogEntry } from './log-entry';
import { logEntryJson } from './log-line';
import { rollUp } from './roll-up';
import { spendCapRefusal } from './spend-cap';
import { BUCKET_MS, floorTo, HOUR_MS } from './stats-names';
import { StatsReader } from './stats-reader';
import { StatsRecorder } from './stats-recorder';
import { rangeWindow, type StatsRange, type Summary, summarize } from './summary';
import { type ClientUsage, UsageLedger } from './usage-ledger';

/** Options of {@link StatsService}. */
export interface StatsServiceOptions {
  store: Store;
  clock: Clock;
  logger: Logger;
  runtime: 'node' | 'workers';
  /** STATS_FLUSH_MS. */
  flushMs: number;
  /** Write one JSON log line per request (Node). */
  requestLogs: boolean;
}

/** Node writes its buckets at least this often (SQLite writes are cheap). */
export const NODE_FLUSH_MS = 10_000;
/** Most hours one run rolls up. */
const ROLL_UP_HOURS = 4;
/** How long key counts (KeyView) are reused. */
const KEY_COUNTS_MS = { node: 0, workers: 60_000 } as const;

/**
 * Stats, the recent-requests log and the usage per client key, on a Store:
 * the same code on both runtimes (KV on Workers, SQLite on Node), differing
 * only in how often it writes and reads (see docs/storage-schema.md).
 */
export class StatsService {
  readonly recorder: StatsRecorder;
  readonly reader: StatsReader;
  readonly ledger: UsageLedger;
  private readonly graceMs: number;
  private keyCountsCache: { at: number; counts: Map<string, { requests: number; failures: number }> } | null =
    null;

  constructor(private readonly options: StatsServiceOptions) {
    const { store, clock, logger, runtime } = options;
    const onWorkers = runtime === 'workers';
    const flushEveryMs = onWorkers ? options.flushMs : Math.min(options.flushMs, NODE_FLUSH_MS);
    this.recorder = new StatsRecorder({
      store,
      clock,
      logger,
      isolate: randomIsolateId(),
      writeOpenBuckets: !onWorkers,
      flushEveryMs,
      logPerBucket: onWorkers ? 200 : 1000,
      onEntry: options.requestLogs ? (entry) => logRequest(logger, entry) : undefined,
      onWritten: (name) => this.reader.noteWritten(name),
      rolledThrough: () => this.ledger.rolledThrough(),
    });
    this.reader = new StatsReader({
      store,
      clock,
      recorder: this.recorder,
      listCacheMs: onWorkers ? 30_000 : 0,
    });
    this.ledger = new UsageLedger({
      store,
      clock,
      logger,
      recorder: this.recorder,
      snapshotRefreshMs: onWorkers ? 60_000 : 0,
      othersRefreshMs: onWorkers ? 10 * 60_000 : 0,
    });
    this.graceMs = Math.max(flushEveryMs, BUCKET_MS) + BUCKET_MS;
  }

  /** After a request: the flush when one is due (else null). Cheap when nothing is due. */
  afterRequest(): Promise<void> | null {
    return this.recorder.flushDue() ? this.recorder.flush() : null;
  }

  /** The scheduled part: write, roll up the hours that are over. */
  async maintain(): Promise<void> {
    await this.recorder.flush();
    const snapshot = await rollUp({
      store: this.options.store,
      logger: this.options.logger,
      now: this.options.clock.now(),
      graceMs: this.graceMs,
      maxHours: ROLL_UP_HOURS,
    });
    this.ledger.setSnapshot(snapshot);
  }

  /** Writes everything buffered, open buckets too. */
  shutdown(): Promise<void> {
    return this.recorder.flush(true);
  }

  /** The refusal of a client key over its spending cap; exact for what this isolate saw. */
  capRefusal(client: ClientKeyRecord): AppError | null {
    if (!client.cap) return null;
    const now = this.options.clock.now();
    return spendCapRefusal(client.cap, this.usageNow(client.id, now), now);
  }

  /** What a client key spent in its cap's period (UTC day or month); exact for what this isolate saw. */
  capUsage(client: ClientKeyRecord): UsageTotals {
    const usage = this.usageNow(client.id, this.options.clock.now());
    return client.cap?.period === 'month' ? usage.month : usage.today;
  }

  /**
   * {@link capUsage} when the usage is in memory already, else null without starting a read (on
   * Workers a read started by a request answered at once may never settle).
   */
  capUsageKnown(client: ClientKeyRecord): UsageTotals | null {
    return this.ledger.isLoaded ? this.capUsage(client) : null;
  }

  private usageNow(id: string, now: number): ClientUsage {
    this.ledger
      .ready()
      ?.catch((err) => this.options.logger.log('warn', 'usage load failed', { error: String(err) }));
    return this.ledger.usage(id, now);
  }

  /** A client key's usage today and this month (after {@link usageReady}). */
  clientUsage(id: string): ClientUsage {
    return this.ledger.usage(id, this.options.clock.now());
  }

  /** Resolves once the usage per client key has been read. */
  async usageReady(): Promise<void> {
    await this.ledger.ready();
  }

  /** The sums of a range. */
  async summary(range: StatsRange): Promise<{ window: ReturnType<typeof rangeWindow>; summary: Summary }> {
    await this.ledger.ready();
    const window = rangeWindow(range, this.options.clock.now());
    const pieces = await this.reader.pieces(window.from, window.to + 1, this.ledger.through);
    return { window, summary: summarize(pieces, window) };
  }

  /**
   * Requests and failures by class over the last `windowMs`, in whole 5-minute buckets (so up to
   * 5 minutes more): what the alerts' error rate reads.
   */
  async recent(windowMs: number): Promise<{ requests: number; failures: Record<string, number> }> {
    await this.ledger.ready();
    const now = this.options.clock.now();
    const window = { from: floorTo(now - windowMs, BUCKET_MS), to: now, bucketMs: BUCKET_MS };
    const pieces = await this.reader.pieces(floorTo(window.from, HOUR_MS), now + 1, this.ledger.through);
    let requests = 0;
    const failures: Record<string, number> = {};
    for (const point of summarize(pieces, window).series) {
      requests += point.requests;
      for (const [name, n] of Object.entries(point.failures))
        failures[name] = (failures[name] ?? 0) + (n ?? 0);
    }
    return { requests, failures };
  }

  /** Requests (attempts) and failures per upstream key over the last day, for the KeyView. */
  async keyCounts(): Promise<Map<string, { requests: number; failures: number }>> {
    const now = this.options.clock.now();
    const cached = this.keyCountsCache;
    if (cached && now - cached.at < KEY_COUNTS_MS[this.options.runtime]) return cached.counts;
    const { summary } = await this.summary('day');
    const counts = new Map(
      Object.entries(summary.keys).map(([id, c]) => [id, { requests: c.n, failures: c.n - c.ok }]),
    );
    this.keyCountsCache = { at: now, counts };
    return counts;
  }

  /** The newest log lines first. */
  async logs(limit: number, keep: (entry: LogEntry) => boolean): Promise<LogEntry[]> {
    return this.reader.logs(limit, keep, 24 * 60 * 60_000);
  }
}

function randomIsolateId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What follows `time` in a request's log line. */
const REQUEST_LINE_HEAD = '"level":"info","msg":"request",';

function logRequest(logger: Logger, entry: LogEntry): void {
  // The entry as the recent-requests log has it (its `time` is when the request came in).
  if (logger.logLine) logger.logLine('info', logEntryJson(entry, REQUEST_LINE_HEAD));
  else logger.log('info', 'request', entry as unknown as Record<string, unknown>);
}
