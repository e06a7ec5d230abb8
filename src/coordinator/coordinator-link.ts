import type { Clock, Logger } from '../deps';
import { AppError } from '../errors';
import type { CoordinatorAnswer, CoordinatorRequest, SettleItem, SyncAnswer, SyncMark } from './protocol';

/** Options of {@link CoordinatorLink}. */
export interface CoordinatorLinkOptions {
  /** One call to the coordinator (Workers: an RPC on the Durable Object's stub). */
  call(request: CoordinatorRequest): Promise<CoordinatorAnswer>;
  clock: Clock;
  logger: Logger;
  /** Applies the changes an answer brought (or reloads everything). */
  onSync(answer: SyncAnswer): void | Promise<void>;
  /** A call on a request's path that takes longer fails (the request goes on without it). Default 300. */
  timeoutMs?: number;
  /** After a failed call, calls on a request's path are not tried for this long. Default 5000. */
  downMs?: number;
  /** Settlements wait this long for a call to ride with, then go on their own. Default {@link SETTLE_DELAY_MS}. */
  settleDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

/** Syncs a second, at most, for bearers memory does not know ({@link CoordinatorLink.syncForUnknown}). */
export const UNKNOWN_SYNCS_PER_S = 4;

/** A request without limits waits for a sync once the last is this old (so changes reach it within 2 s). */
export const SYNC_SOON_MS = 1000;

/**
 * Settlements wait this long for another call of the isolate to ride with (most do, on a busy
 * isolate), then go alone: within `waitUntil`'s 30 s after the answer. Their reservation holds
 * meanwhile, so waiting never lets a cap be passed; it saves a call per request.
 */
export const SETTLE_DELAY_MS = 25_000;

/** After a failed call, calls on a request's path are not tried for this long (ms), by default. */
export const DOWN_MS = 5000;

/**
 * A call that did not reach the coordinator in time: where nothing in the isolate's memory can
 * stand in for it, the client's answer is a 503 with Retry-After (never a 500).
 */
export class CoordinatorUnavailable extends AppError {
  override name = 'CoordinatorUnavailable';
  constructor(readonly detail: string) {
    super(
      503,
      'CloudRouter cannot reach its coordinator just now: try again in a few seconds',
      'coordinator_unavailable',
    );
    this.retryAfterS = DOWN_MS / 1000;
  }
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * An isolate's line to the coordinator: every call carries the isolate's
 * sync mark and the settlements waiting to be sent, and every answer's
 * changes are applied before the call returns. A call that fails or is late
 * marks the coordinator down for a few seconds (logged once per outage):
 * requests then go on with what the isolate knows, and nothing retries.
 */
export class CoordinatorLink {
  private mark: SyncMark | null = null;
  private syncedAt = Number.NEGATIVE_INFINITY;
  private downUntil = Number.NEGATIVE_INFINITY;
  private down = false;
  private settles: SettleItem[] = [];
  private flushing: Promise<void> | null = null;
  private syncing: Promise<void> | null = null;
  private urgent = false;
  private pendingSince = 0;
  private unknownBudget = UNKNOWN_SYNCS_PER_S;
  private unknownAt = 0;
  /** Calls made, for the free-plan arithmetic. */
  calls = 0;

  constructor(private readonly options: CoordinatorLinkOptions) {}

  /** Whether calls on a request's path are tried now. */
  get available(): boolean {
    return this.options.clock.now() >= this.downUntil;
  }

  /** Whether {@link syncDue} would call: the last sync is `SYNC_SOON_MS` old and the coordinator is up. */
  get syncIsDue(): boolean {
    return this.options.clock.now() - this.syncedAt >= SYNC_SOON_MS && this.available;
  }

  /**
   * One call with the mark and the pending settlements. `timeoutMs` 0 waits
   * as long as it takes (admin writes). Rejects with {@link CoordinatorUnavailable}.
   */
  async send(
    request: CoordinatorRequest,
    timeoutMs = this.options.timeoutMs ?? 300,
  ): Promise<CoordinatorAnswer> {
    const settles = this.settles;
    this.settles = [];
    const full: CoordinatorRequest = { ...request, since: this.mark ?? { boot: '', seq: 0 } };
    if (settles.length) full.settle = settles;
    const startedAt = this.options.clock.now();
    let answer: CoordinatorAnswer;
    try {
      this.calls++;
      answer = await withTimeout(this.options.call(full), timeoutMs);
    } catch (err) {
      // Settlements are kept for the next call (a settlement the coordinator did get is not counted twice:
      // its ticket is gone).
      this.settles = settles.concat(this.settles);
      this.failed(err);
      throw new CoordinatorUnavailable(String(err));
    }
    this.downUntil = Number.NEGATIVE_INFINITY;
    if (this.down) {
      this.down = false;
      this.options.logger.log('info', 'coordinator reachable again');
    }
    if (answer.sync) await this.synced(answer.sync, full.since as SyncMark, startedAt);
    return answer;
  }

  /**
   * Takes an answer's changes. The mark moves first, so that the calls of a
   * reload carry the new one. A reload is skipped when another answer of the
   * same boot moved the mark meanwhile (it reloaded, or brought the changes).
   */
  private async synced(sync: SyncAnswer, sentMark: SyncMark, startedAt: number): Promise<void> {
    const mark = this.mark;
    const sameBoot = mark !== null && mark.boot === sync.boot;
    if (sync.reload && sameBoot && (mark.seq !== sentMark.seq || mark.boot !== sentMark.boot)) return;
    // An answer overtaken by a newer one brings nothing new, and its values may be older.
    if (!sync.reload && sameBoot && sync.seq <= mark.seq) {
      this.syncedAt = Math.max(this.syncedAt, startedAt);
      return;
    }
    if (!sameBoot || sync.seq > mark.seq || sync.reload) this.mark = { boot: sync.boot, seq: sync.seq };
    this.syncedAt = Math.max(this.syncedAt, startedAt);
    await this.options.onSync(sync);
  }

  private failed(err: unknown): void {
    this.downUntil = this.options.clock.now() + (this.options.downMs ?? DOWN_MS);
    if (this.down) return;
    this.down = true;
    this.options.logger.log(
      'warn',
      "coordinator unreachable: going on with this isolate's state and limits",
      {
        error: String(err),
      },
    );
  }

  /**
   * Before a request that makes no call of its own: a sync (to await) once
   * the last is `SYNC_SOON_MS` old, so no request is served from changes
   * older than that plus one call; null when none is due, or the coordinator is down.
   */
  syncDue(): Promise<void> | null {
    return this.syncIsDue ? this.sync() : null;
  }

  /**
   * A sync (to await) for a bearer memory does not know (a key made on another isolate a moment
   * ago?), at most {@link UNKNOWN_SYNCS_PER_S} a second however many such bearers come (made-up
   * ones cost no more than that); null beyond, or while the coordinator is down.
   */
  syncForUnknown(): Promise<void> | null {
    const now = this.options.clock.now();
    this.unknownBudget = Math.min(
      UNKNOWN_SYNCS_PER_S,
      this.unknownBudget + ((now - this.unknownAt) / 1000) * UNKNOWN_SYNCS_PER_S,
    );
    this.unknownAt = now;
    if (this.unknownBudget < 1 || !this.available) return null;
    this.unknownBudget -= 1;
    return this.sync();
  }

  /**
   * A sync that starts after this call (the admin's, before it answers): one already in flight
   * may have been answered before a change the caller has just seen made elsewhere, so it is
   * waited for and another made. Never rejects.
   */
  async syncAfterNow(timeoutMs?: number): Promise<void> {
    if (this.syncing) await this.syncing;
    await this.sync(timeoutMs);
  }

  /** A call that only syncs (shared by callers meanwhile); never rejects. */
  sync(timeoutMs?: number): Promise<void> {
    this.syncing ??= this.send({}, timeoutMs)
      .then(
        () => {},
        () => {},
      )
      .finally(() => {
        this.syncing = null;
      });
    return this.syncing;
  }

  /** Queues a settlement; it rides with the next call, or goes alone after the settle delay. */
  settle(item: SettleItem): void {
    if (this.settles.length === 0) this.pendingSince = this.options.clock.now();
    this.settles.push(item);
  }

  /** Sends the queued settlements now (the next `flushSoon` hands its promise to `waitUntil`). */
  flushNow(): void {
    this.urgent = true;
  }

  /** Sends the queued settlements once the delay has passed (if no call took them); for `waitUntil`. */
  flushSoon(): Promise<void> | null {
    if (this.settles.length === 0) return this.flushing;
    if (this.urgent) {
      this.urgent = false;
      const now = this.send({}, 5000).then(
        () => {},
        () => {},
      );
      return this.flushing ? Promise.all([this.flushing, now]).then(() => {}) : now;
    }
    // Each settlement waits the delay from when it was queued; one that rode with a call is gone.
    this.flushing ??= (async () => {
      const delay = this.options.settleDelayMs ?? SETTLE_DELAY_MS;
      while (this.settles.length) {
        const wait = this.pendingSince + delay - this.options.clock.now();
        if (wait > 0) await (this.options.sleep ?? realSleep)(wait);
        else if (
          !(await this.send({}, 5000).then(
            () => true,
            () => false,
          ))
        )
          return;
      }
    })().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  if (ms <= 0) return promise;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}
