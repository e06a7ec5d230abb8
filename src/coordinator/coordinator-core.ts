import { RateLimiter } from '../client-keys/rate-limiter';
import { randomToken } from '../lib/crypto';
import { capAdmission, largerSpend } from '../limits/cap-admission';
import type { Spend } from '../limits/limits';
import { dayKey, monthKey } from '../stats/stats-names';
import { STORE_LIMITS } from '../store/types';
import {
  type AdmitAnswer,
  type AdmitRequest,
  type ChangedEntry,
  type CoordinatorAnswer,
  type CoordinatorRequest,
  isSyncedName,
  type SettleItem,
  type StoredEntry,
  type StoreOp,
  type SyncAnswer,
  type SyncMark,
} from './protocol';

/** What the core needs of SQLite: Cloudflare's `ctx.storage.sql`, or better-sqlite3 in tests. */
export interface SqlLike {
  exec(query: string, ...bindings: Array<string | number | null>): SqlCursorLike;
}

/** The cursor of {@link SqlLike.exec}. */
export interface SqlCursorLike {
  toArray(): Array<Record<string, unknown>>;
  readonly rowsWritten: number;
}

/** Options of {@link CoordinatorCore}. */
export interface CoordinatorCoreOptions {
  sql: SqlLike;
  now: () => number;
}

/** Changes the feed keeps; an isolate further behind reloads. */
export const FEED_KEEP = 5000;
/** Most changed entries one answer carries; more, and the isolate reloads. */
export const FEED_MOST = 500;
/** Rows past their TTL are deleted at most this often (with a write). */
export const SWEEP_EXPIRED_MS = 60 * 60_000;
/** A reservation never settled (its isolate went away) ends after this long. */
export const TICKET_TTL_MS = 15 * 60_000;
/**
 * The rpm windows and reservations are written to SQLite (one row, `facts` `limits`) with a call
 * that changed them, at most this often: a restart (a deploy, an eviction) loses at most the
 * admissions of this last stretch, not the minute's.
 */
export const LIMITS_KEEP_MS = 10_000;
/** A settled ticket is remembered this long, so that a settlement sent twice (its call timed out) counts once. */
const SETTLED_MEMORY_MS = 2 * 60_000;
const LIMITS_FACT = 'limits';

/** The rpm windows and reservations as `facts` keeps them. */
interface KeptLimits {
  at: number;
  windows: Array<[string, number[]]>;
  /** [ticket, client, period, tokens, cost, at] */
  tickets: Array<[number, string, string, number, number, number]>;
}

interface Ticket {
  client: string;
  period: string;
  reserved: Spend;
  at: number;
}

/** A client's spend row: the period's settled usage and its largest request. */
interface SpendRow {
  client: string;
  period: string;
  used: Spend;
  largest: Spend;
}

interface Held {
  inFlight: Spend;
  count: number;
}

const END = '\u{10FFFF}';

/**
 * The coordinator's logic, over SQLite: the stored records that must be the
 * same everywhere (the pool's keys and their states, client keys, settings,
 * model map) with a feed of their changes, the rpm windows, and the spend
 * of capped client keys with the reservations of requests in flight. Every
 * call is synchronous, so each is one transaction: no call sees another half
 * done, and a patch merges into what is stored.
 *
 * In memory: the feed (lost on a restart, which sends every isolate a
 * reload), the rpm windows and the reservations, kept in one SQLite row at
 * most every {@link LIMITS_KEEP_MS} and taken back on start. Ticket numbers
 * never repeat across restarts, and a settlement whose ticket the object does
 * not hold (admitted before a restart, after the last keeping) still counts.
 */
export class CoordinatorCore {
  readonly boot = randomToken('', 8);
  private seq = 0;
  private readonly feed: Array<{ seq: number; name: string }> = [];
  private readonly limiter = new RateLimiter();
  private readonly held = new Map<string, Held>();
  private readonly tickets = new Map<number, Ticket>();
  private readonly settled = new Map<number, number>();
  /** The spend rows this call settled, written at its end (read before that by its admission). */
  private readonly pending = new Map<string, SpendRow>();
  private nextTicket: number;
  private limitsChanged = false;
  private limitsKeptAt = Number.NEGATIVE_INFINITY;
  private sweptAt = 0;
  private sweptExpiredAt = 0;
  /** Rows this core wrote (SQLite's count), for the free-plan arithmetic. */
  rowsWritten = 0;

  constructor(private readonly options: CoordinatorCoreOptions) {
    const { sql } = options;
    sql.exec(
      'CREATE TABLE IF NOT EXISTS entries (name TEXT PRIMARY KEY, value TEXT NOT NULL, meta TEXT, expires INTEGER) WITHOUT ROWID',
    );
    sql.exec(
      'CREATE TABLE IF NOT EXISTS spend (client TEXT PRIMARY KEY, period TEXT NOT NULL, tokens REAL NOT NULL, cost REAL NOT NULL, ltokens REAL, lcost REAL, kept TEXT, kept_at INTEGER) WITHOUT ROWID',
    );
    // An object made before the limits were kept has a spend table without their columns.
    try {
      sql.exec('SELECT kept, kept_at FROM spend LIMIT 0');
    } catch {
      sql.exec('ALTER TABLE spend ADD COLUMN kept TEXT');
      sql.exec('ALTER TABLE spend ADD COLUMN kept_at INTEGER');
    }
    sql.exec('CREATE TABLE IF NOT EXISTS facts (name TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID');
    // Numbers from the start time: no ticket of an earlier run (even one never kept) is taken for a new one.
    this.nextTicket = Math.floor(options.now()) * 1024;
    this.takeBackLimits();
  }

  /** The rpm windows and reservations the last run kept (those still current). */
  private takeBackLimits(): void {
    const fact = this.fact(LIMITS_FACT);
    const rode = this.options.sql
      .exec('SELECT kept FROM spend WHERE kept_at = (SELECT MAX(kept_at) FROM spend) LIMIT 1')
      .toArray()[0];
    const candidates = [fact, rode?.kept ? String(rode.kept) : null]
      .filter((json): json is string => json !== null)
      .map((json) => JSON.parse(json) as KeptLimits);
    if (candidates.length === 0) return;
    const kept = candidates.reduce((a, b) => (b.at > a.at ? b : a));
    const now = this.options.now();
    this.limiter.restore(kept.windows.map(([id, times]) => [id, times.filter((t) => now - t < 60_000)]));
    for (const [id, client, period, tokens, cost, at] of kept.tickets) {
      if (now - at > TICKET_TTL_MS) continue;
      this.hold(id, { client, period, reserved: { tokens, cost }, at });
      this.nextTicket = Math.max(this.nextTicket, id + 1);
    }
  }

  /**
   * The rpm windows and reservations to keep, when they changed and were last kept long enough
   * ago: written with a spend row the call writes anyway (no row of their own), else in `facts`.
   */
  private keepLimits(now: number, rows: SpendRow[]): void {
    if (!this.limitsChanged || now - this.limitsKeptAt < LIMITS_KEEP_MS) {
      for (const row of rows) this.writeSpend(row, null, now);
      return;
    }
    this.limitsChanged = false;
    this.limitsKeptAt = now;
    const kept: KeptLimits = {
      at: now,
      windows: this.limiter.recent(now - 60_000),
      tickets: [...this.tickets].map(([id, t]) => [
        id,
        t.client,
        t.period,
        t.reserved.tokens,
        t.reserved.cost,
        t.at,
      ]),
    };
    const json = JSON.stringify(kept);
    rows.forEach((row, i) => {
      this.writeSpend(row, i === rows.length - 1 ? json : null, now);
    });
    if (rows.length === 0) this.setFact(LIMITS_FACT, json);
  }

  /** One client's spend row; `kept` (the limits) rides with it when given, else its columns stay as they are. */
  private writeSpend(row: SpendRow, kept: string | null, now: number): void {
    const values: Array<string | number | null> = [
      row.client,
      row.period,
      row.used.tokens,
      row.used.cost,
      row.largest.tokens,
      row.largest.cost,
    ];
    // Limits an earlier keeping left in this row go with this write (the newest stays where it is).
    const newest = Number.isFinite(this.limitsKeptAt) ? this.limitsKeptAt : 0;
    if (kept === null)
      this.write(
        'INSERT INTO spend (client, period, tokens, cost, ltokens, lcost) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (client) DO UPDATE SET period = excluded.period, tokens = excluded.tokens, cost = excluded.cost, ltokens = excluded.ltokens, lcost = excluded.lcost, kept = CASE WHEN spend.kept_at < ? THEN NULL ELSE spend.kept END, kept_at = CASE WHEN spend.kept_at < ? THEN NULL ELSE spend.kept_at END',
        ...values,
        newest,
        newest,
      );
    else
      this.write(
        'INSERT OR REPLACE INTO spend (client, period, tokens, cost, ltokens, lcost, kept, kept_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        ...values,
        kept,
        now,
      );
  }

  /** Runs one call: settlements, then the store operation, the admission, and the changes since the mark. */
  handle(request: CoordinatorRequest): CoordinatorAnswer {
    const answer: CoordinatorAnswer = {};
    this.pending.clear();
    if (request.settle?.length) this.settle(request.settle);
    if (request.store) answer.store = this.store(request.store);
    if (request.admit) answer.admit = this.admit(request.admit);
    if (request.since) answer.sync = this.changesSince(request.since);
    // The settled spend is written last, with the limits when they are due (this call's admission in them).
    this.keepLimits(this.options.now(), [...this.pending.values()]);
    this.pending.clear();
    return answer;
  }

  /** A fact about this object (e.g. that KV was imported), or null. */
  fact(name: string): string | null {
    const row = this.options.sql.exec('SELECT value FROM facts WHERE name = ?', name).toArray()[0];
    return row ? String(row.value) : null;
  }

  setFact(name: string, value: string): void {
    this.write('INSERT OR REPLACE INTO facts (name, value) VALUES (?, ?)', name, value);
  }

  /** Writes entries (the store's `put`); each synced one enters the feed. Expired rows go now and then. */
  putEntries(entries: StoredEntry[]): void {
    const now = this.options.now();
    if (now - this.sweptExpiredAt >= SWEEP_EXPIRED_MS) {
      this.sweptExpiredAt = now;
      this.write('DELETE FROM entries WHERE expires IS NOT NULL AND expires <= ?', now);
    }
    for (const e of entries) {
      this.write(
        'INSERT OR REPLACE INTO entries (name, value, meta, expires) VALUES (?, ?, ?, ?)',
        e.name,
        e.json,
        e.metaJson,
        e.expiresAt,
      );
      this.changed(e.name);
    }
  }

  private store(op: StoreOp): unknown {
    switch (op.op) {
      case 'get': {
        const row = this.row(op.name);
        return row ? JSON.parse(row.value) : null;
      }
      case 'gets':
        return op.names.map((name) => {
          const row = this.row(name);
          return row ? JSON.parse(row.value) : null;
        });
      case 'put':
        this.putEntries(op.entries);
        return null;
      case 'delete':
        if (this.write('DELETE FROM entries WHERE name = ?', op.name) > 0) this.changed(op.name);
        return null;
      case 'list':
        return this.list(op.prefix, op.cursor, op.limit);
      case 'patch':
        return this.patch(op.name, op.fields);
    }
  }

  private row(name: string): { value: string; meta: string | null } | null {
    const row = this.options.sql
      .exec('SELECT value, meta, expires FROM entries WHERE name = ?', name)
      .toArray()[0];
    if (!row) return null;
    if (row.expires !== null && Number(row.expires) <= this.options.now()) return null;
    return { value: String(row.value), meta: row.meta === null ? null : String(row.meta) };
  }

  private list(prefix: string, cursor: string | null, limit: number) {
    const from = cursor !== null && cursor >= prefix ? cursor : null;
    const rows = this.options.sql
      .exec(
        `SELECT name, meta FROM entries WHERE name ${from === null ? '>=' : '>'} ? AND name < ? AND (expires IS NULL OR expires > ?) ORDER BY name LIMIT ?`,
        from ?? prefix,
        prefix + END,
        this.options.now(),
        limit + 1,
      )
      .toArray();
    const more = rows.length > limit;
    const entries = rows.slice(0, limit).map((r) => ({
      name: String(r.name),
      meta: r.meta === null ? null : JSON.parse(String(r.meta)),
    }));
    return { entries, cursor: more ? entries[entries.length - 1].name : null };
  }

  /** Merges `fields` into the stored object (its meta too, when it has one that fits); null when absent. */
  private patch(name: string, fields: Record<string, unknown>): unknown {
    const row = this.row(name);
    if (!row) return null;
    const merged = { ...(JSON.parse(row.value) as Record<string, unknown>), ...fields };
    const json = JSON.stringify(merged);
    const metaJson = row.meta !== null && json.length <= STORE_LIMITS.maxMetaBytes ? json : null;
    this.write('UPDATE entries SET value = ?, meta = ? WHERE name = ?', json, metaJson, name);
    this.changed(name);
    return merged;
  }

  private changed(name: string): void {
    if (!isSyncedName(name)) return;
    this.seq++;
    this.feed.push({ seq: this.seq, name });
    if (this.feed.length > FEED_KEEP * 2) this.feed.splice(0, this.feed.length - FEED_KEEP);
  }

  /** The entries changed after `mark`, read now; a reload when the mark is from another boot or too old. */
  changesSince(mark: SyncMark): SyncAnswer {
    const reload = { boot: this.boot, seq: this.seq, reload: true, entries: [] };
    if (mark.boot !== this.boot) return reload;
    if (mark.seq >= this.seq) return { boot: this.boot, seq: this.seq, reload: false, entries: [] };
    const oldest = this.feed.length ? this.feed[0].seq : this.seq + 1;
    if (mark.seq < oldest - 1) return reload;
    const names = new Set<string>();
    for (let i = this.feed.length - 1; i >= 0 && this.feed[i].seq > mark.seq; i--)
      names.add(this.feed[i].name);
    if (names.size > FEED_MOST) return reload;
    const entries: ChangedEntry[] = [];
    for (const name of names) {
      const row = this.row(name);
      entries.push({
        name,
        value: row ? JSON.parse(row.value) : null,
        meta: row?.meta ? JSON.parse(row.meta) : null,
      });
    }
    return { boot: this.boot, seq: this.seq, reload: false, entries };
  }

  private admit(request: AdmitRequest): AdmitAnswer {
    const now = this.options.now();
    this.sweep(now);
    const { cap } = request;
    let reserved: Spend = { tokens: 0, cost: 0 };
    let whole = false;
    let period = '';
    if (cap) {
      period = periodOf(cap.period, now);
      const spent = this.spent(request.client);
      let used: Spend = spent && spent.period === period ? spent.used : { tokens: 0, cost: 0 };
      if (request.seen) used = largerSpend(used, request.seen);
      const held = this.held.get(request.client);
      const admission = capAdmission(cap, used, held?.inFlight ?? ZERO, spent?.largest ?? null);
      if (!admission.ok) return { ok: false, cap: admission.reason, used };
      reserved = admission.reserve;
      whole = !spent?.largest;
    }
    if (request.rpm) {
      const waitMs = this.limiter.take(request.client, request.rpm, now);
      if (waitMs > 0) return { ok: false, rpmWaitMs: waitMs };
      this.limitsChanged = true;
    }
    if (!cap) return { ok: true, ticket: null, reserved };
    const ticket = this.nextTicket++;
    this.hold(ticket, { client: request.client, period, reserved, at: now });
    this.limitsChanged = true;
    return whole ? { ok: true, ticket, reserved, period, whole } : { ok: true, ticket, reserved, period };
  }

  private hold(id: number, ticket: Ticket): void {
    this.tickets.set(id, ticket);
    let held = this.held.get(ticket.client);
    if (!held) {
      held = { inFlight: { tokens: 0, cost: 0 }, count: 0 };
      this.held.set(ticket.client, held);
    }
    held.inFlight.tokens += ticket.reserved.tokens;
    held.inFlight.cost += ticket.reserved.cost;
    held.count++;
  }

  private spent(client: string): { period: string; used: Spend; largest: Spend | null } | null {
    const pending = this.pending.get(client);
    if (pending) return pending;
    const row = this.options.sql.exec('SELECT * FROM spend WHERE client = ?', client).toArray()[0];
    if (!row) return null;
    const largest = row.ltokens === null ? null : { tokens: Number(row.ltokens), cost: Number(row.lcost) };
    return {
      period: String(row.period),
      used: { tokens: Number(row.tokens), cost: Number(row.cost) },
      largest,
    };
  }

  /** Ends reservations; the usage of each client is added in one row write per call. */
  private settle(items: SettleItem[]): void {
    const byClient = new Map<string, { period: string; usage: Spend; largest: Spend | null }>();
    const now = this.options.now();
    for (const item of items) {
      let ticket: Pick<Ticket, 'client' | 'period'> | undefined = this.tickets.get(item.ticket);
      if (ticket) this.release(item.ticket, ticket as Ticket);
      else if (this.settled.has(item.ticket) || !item.client || !item.period) continue;
      // A ticket this run never held (admitted before a restart): its usage still counts.
      else ticket = { client: item.client, period: item.period };
      this.settled.set(item.ticket, now);
      if (!item.usage) continue;
      const sum = byClient.get(ticket.client);
      if (sum && sum.period === ticket.period) {
        sum.usage.tokens += item.usage.tokens;
        sum.usage.cost += item.usage.cost;
        sum.largest = largerSpend(sum.largest, item.usage);
      } else
        byClient.set(ticket.client, { period: ticket.period, usage: { ...item.usage }, largest: item.usage });
    }
    for (const [client, { period, usage, largest }] of byClient) {
      const spent = this.spent(client);
      const big = largerSpend(spent?.largest ?? null, largest ?? usage);
      const base = spent && spent.period === period ? spent.used : { tokens: 0, cost: 0 };
      // A settlement for a period already over only teaches the largest request.
      const over = spent !== null && spent.period > period;
      this.pending.set(client, {
        client,
        period: over ? spent.period : period,
        used: over ? spent.used : { tokens: base.tokens + usage.tokens, cost: base.cost + usage.cost },
        largest: big,
      });
    }
  }

  private release(id: number, ticket: Ticket): void {
    this.tickets.delete(id);
    this.limitsChanged = true;
    const held = this.held.get(ticket.client);
    if (!held) return;
    if (--held.count <= 0) {
      this.held.delete(ticket.client);
      return;
    }
    held.inFlight.tokens = Math.max(0, held.inFlight.tokens - ticket.reserved.tokens);
    held.inFlight.cost = Math.max(0, held.inFlight.cost - ticket.reserved.cost);
  }

  /** Ends the reservations of requests never settled (their isolate went away). */
  private sweep(now: number): void {
    if (now - this.sweptAt < 60_000) return;
    this.sweptAt = now;
    for (const [id, ticket] of this.tickets) if (now - ticket.at > TICKET_TTL_MS) this.release(id, ticket);
    for (const [id, at] of this.settled) if (now - at > SETTLED_MEMORY_MS) this.settled.delete(id);
  }

  private write(query: string, ...bindings: Array<string | number | null>): number {
    const written = this.options.sql.exec(query, ...bindings).rowsWritten;
    this.rowsWritten += written;
    return written;
  }
}

const ZERO: Spend = { tokens: 0, cost: 0 };

/** The cap's period at `now`: `d:YYYY-MM-DD` or `m:YYYY-MM` (UTC); later periods sort after. */
export function periodOf(period: 'day' | 'month', now: number): string {
  return period === 'day' ? `d:${dayKey(now)}` : `m:${monthKey(now)}`;
}
