/**
 * The free plan's arithmetic (docs/storage-schema.md, "Coordinator arithmetic"), counted: a day of
 * 50,000 requests spread at random over ten isolates, every client key under an rpm and a spending
 * cap (the dearest case: each request is admitted and settled), through the real CoordinatorLink and
 * CoordinatedLimits over the real CoordinatorCore on SQLite, counting the object's requests and rows
 * written. The rest of the day's calls (stats buckets, roll-ups, cron health checks over 10,000
 * keys) are added from their cadences, as the docs list them. Within 70% of the free plan's 100,000
 * requests and 100,000 rows written a day; KV keeps only the catalogue.
 */
import { expect, it } from 'vitest';
import type { ClientKeyRecord } from '../../src/client-keys/client-key-record';
import { CoordinatedLimits } from '../../src/coordinator/coordinated-limits';
import { CoordinatorCore } from '../../src/coordinator/coordinator-core';
import { CoordinatorLink } from '../../src/coordinator/coordinator-link';
import { LocalLimits } from '../../src/limits/local-limits';
import { memorySql } from './sqlite-adapter';

const DAY = 86_400_000;
const REQUESTS = 50_000;
const ISOLATES = 10;
const CLIENTS = 100;
const KEYS = 10_000;
const FREE = { requests: 100_000, rowsWritten: 100_000, kvWrites: 1_000, kvLists: 1_000 };

/** A small seeded PRNG, so the day is the same on every run. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

it('a day of 50,000 requests over ten isolates stays within 70% of the free plan', {
  timeout: 300_000,
}, async () => {
  let now = Date.UTC(2026, 0, 5);
  const start = now;
  const core = new CoordinatorCore({ sql: memorySql(), now: () => now });
  let doRequests = 0;
  const timers: Array<{ at: number; resolve: () => void }> = [];
  const isolates = Array.from({ length: ISOLATES }, () => {
    const link = new CoordinatorLink({
      call: async (request) => {
        doRequests++;
        return structuredClone(core.handle(structuredClone(request)));
      },
      clock: { now: () => now },
      logger: { log: () => {} },
      onSync: () => {},
      sleep: (ms) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    });
    return new CoordinatedLimits({
      link,
      fallback: new LocalLimits({ used: () => ({ tokens: 0, cost: 0 }) }),
      seen: () => null,
      refusalNow: () => null,
    });
  });
  const clients: ClientKeyRecord[] = Array.from({ length: CLIENTS }, (_, i) => ({
    id: `client-${i}`,
    name: `c${i}`,
    hash: '',
    hint: '',
    enabled: true,
    models: null,
    rpm: 60,
    expires_at: null,
    cap: { period: 'day', tokens: null, cost: 1_000 },
    created_at: '',
    updated_at: '',
  }));
  const rnd = random(16);
  const arrivals = Array.from({ length: REQUESTS }, () => start + Math.floor(rnd() * DAY)).sort(
    (a, b) => a - b,
  );
  const drain = () => new Promise((resolve) => setImmediate(resolve));
  const fireTimers = async (until: number) => {
    timers.sort((a, b) => a.at - b.at);
    while (timers.length && timers[0].at <= until) {
      const timer = timers.shift() as { at: number; resolve: () => void };
      now = timer.at;
      timer.resolve();
      await drain();
    }
  };
  let admitted = 0;
  for (const at of arrivals) {
    await fireTimers(at);
    now = at;
    const limits = isolates[Math.floor(rnd() * ISOLATES)];
    const ticket = await limits.admit(clients[Math.floor(rnd() * CLIENTS)], now);
    if (ticket) {
      admitted++;
      limits.settle(ticket, { tokens: 800, cost: 0.002 });
    }
    void limits.flush();
  }
  await fireTimers(Number.POSITIVE_INFINITY);
  expect(admitted).toBe(REQUESTS);
  const requestPath = { requests: doRequests, rowsWritten: core.rowsWritten };

  // The rest of the day, from the cadences of docs/storage-schema.md.
  const buckets = 288 * ISOLATES; // one 5-minute stats bucket per isolate with requests
  const rest = {
    requests:
      buckets + // st5 writes
      24 * (1 + 12 * ISOLATES + 2) + // roll-up per hour: list st5:<hour>:, get each bucket, write sth: and stu
      288 * 2 + // cron: the health checks' ks: writes (one call), its sync
      288 * 2 + // cron: the usage ledger (stu get; st5 list every 10 min, on average one of the two)
      200, // the admin (imports, edits, views)
    rowsWritten:
      buckets + // st5
      buckets + // their deletion once expired
      48 + // sth: and stu
      KEYS + // ks: of the daily health check of every key (10,000 keys, 40 a run)
      500, // key-state changes and admin edits
  };
  const total = {
    requests: requestPath.requests + rest.requests,
    rowsWritten: requestPath.rowsWritten + rest.rowsWritten,
  };
  const kv = { writes: 4, lists: 0 }; // the catalogue, refreshed every 6 h; nothing listed
  console.log(
    `free plan, ${REQUESTS} requests a day over ${ISOLATES} isolates, every client key with rpm and cap:\n` +
      `  request path (counted): ${requestPath.requests} DO requests, ${requestPath.rowsWritten} rows written\n` +
      `  rest (from cadences):   ${rest.requests} DO requests, ${rest.rowsWritten} rows written\n` +
      `  total: ${total.requests} DO requests (${((100 * total.requests) / FREE.requests).toFixed(1)}% of ${FREE.requests}), ` +
      `${total.rowsWritten} rows written (${((100 * total.rowsWritten) / FREE.rowsWritten).toFixed(1)}% of ${FREE.rowsWritten}); ` +
      `KV ${kv.writes} writes, ${kv.lists} lists a day`,
  );
  expect(total.requests).toBeLessThan(0.7 * FREE.requests);
  expect(total.rowsWritten).toBeLessThan(0.7 * FREE.rowsWritten);
  expect(kv.writes).toBeLessThan(FREE.kvWrites);
  expect(kv.lists).toBeLessThan(FREE.kvLists);
});
