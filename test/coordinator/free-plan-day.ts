/**
 * A simulated day of a Workers deployment with the coordinator, for the free-plan arithmetic
 * (free-plan.test.ts): `isolates` copies of the real app (createApp, runtime `workers`) over one
 * real CoordinatorCore on SQLite, a KV namespace in memory, and an OpenRouter that answers at once;
 * requests spread at random over the day and the isolates, and the cron's `scheduled` run every
 * 5 minutes on one of them, and each hour the admin looks at the keys and the stats and edits a
 * client key, all on fake time. The pool and the client keys are made before the day (not
 * counted). Counts every call that reaches the coordinator and every row it writes, by what made
 * it, and KV's writes and lists.
 */
import { vi } from 'vitest';
import { createApp } from '../../src/app';
import { parseConfig } from '../../src/config';
import { CoordinatorCore } from '../../src/coordinator/coordinator-core';
import type { CoordinatorRequest } from '../../src/coordinator/protocol';
import type { Upstream, UpstreamRequest } from '../../src/deps';
import { workersExchange } from '../../src/runtime/workers/workers-exchange';
import { MemoryStore } from '../../src/store/memory-store';
import { memorySql } from './sqlite-adapter';

const DAY = 86_400_000;
const CRON_MS = 5 * 60_000;
const ADMIN = 'free-plan-admin-key-0123456789';

/** Options of {@link simulateDay}. */
export interface DayOptions {
  requests: number;
  isolates: number;
  clients: number;
  poolKeys: number;
  /** Every client key's rpm and cap (the dearest case: each request is admitted and settled). */
  limits: { rpm: number | null; cap: { period: 'day'; tokens: null; cost: number } | null };
  seed: number;
}

/** What reached the coordinator and KV in the day. */
export interface DayCount {
  /** Calls by what they carried (a call can carry several; counted once, by its first part). */
  calls: Record<string, number>;
  /** Rows written by the calls of each kind (a call's settlements and kept limits count with it). */
  rows: Record<string, number>;
  callsTotal: number;
  rowsWritten: number;
  kv: { writes: number; lists: number };
  /** Requests answered 200. */
  served: number;
  /** Settlements sent, and the calls that carried any. */
  settleItems: number;
  callsWithSettle: number;
}

/** A small seeded PRNG, so the day is the same on every run. */
export function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const encoder = new TextEncoder();

/** OpenRouter at once: chats answer with usage, `GET /key` a healthy key, `/models` one model. */
const upstream: Upstream = {
  async send(request: UpstreamRequest) {
    let body: unknown;
    if (request.url.endsWith('/key')) body = { data: { limit: null, usage: 0, is_free_tier: false } };
    else if (request.url.endsWith('/models'))
      body = { data: [{ id: 'openai/gpt-4o-mini', context_length: 128000, pricing: {} }] };
    else
      body = {
        id: 'gen-1',
        object: 'chat.completion',
        model: 'openai/gpt-4o-mini',
        choices: [{ index: 0, message: { role: 'assistant', content: 'Hi' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 700, completion_tokens: 100, total_tokens: 800, cost: 0.002 },
      };
    const bytes = encoder.encode(JSON.stringify(body));
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      bytes: async () => bytes,
      chunks: async function* () {
        yield bytes;
      },
      cancel() {},
    };
  },
};

/** What a call carried, for the breakdown. */
function kindOf(request: CoordinatorRequest): string {
  if (request.admit) return 'admit';
  if (request.store) {
    const op = request.store;
    const name =
      op.op === 'put'
        ? (op.entries[0]?.name ?? '')
        : op.op === 'gets'
          ? (op.names[0] ?? '')
          : op.op === 'list'
            ? op.prefix
            : op.name;
    return `${op.op} ${name.split(':')[0]}`;
  }
  if (request.settle?.length) return 'settle';
  return 'sync';
}

/** Runs the day; fake timers are on while it runs. */
export async function simulateDay(options: DayOptions): Promise<DayCount> {
  const start = Date.UTC(2026, 0, 5);
  vi.useFakeTimers({
    now: start,
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
  try {
    const core = new CoordinatorCore({ sql: memorySql(), now: () => Date.now() });
    const calls: Record<string, number> = {};
    const rows: Record<string, number> = {};
    let callsTotal = 0;
    let settleItems = 0;
    let callsWithSettle = 0;
    const kv = new MemoryStore();
    const kvCount = { writes: 0, lists: 0 };
    const put = kv.put.bind(kv);
    const list = kv.list.bind(kv);
    kv.put = ((...args: Parameters<MemoryStore['put']>) => {
      kvCount.writes++;
      return put(...args);
    }) as MemoryStore['put'];
    kv.list = ((...args: Parameters<MemoryStore['list']>) => {
      kvCount.lists++;
      return list(...args);
    }) as MemoryStore['list'];
    const config = parseConfig({
      AUTH_KEY: ADMIN,
      OPENROUTER_BASE_URL: 'https://openrouter.test/api/v1',
      CONVERSATION_AFFINITY: 'false',
    });
    const waiting: Promise<unknown>[] = [];
    const ctx = {
      waitUntil: (p: Promise<unknown>) => {
        waiting.push(p.catch(() => {}));
      },
      passThroughOnException() {},
      props: {},
    };
    const apps = Array.from({ length: options.isolates }, () =>
      createApp({
        config,
        store: kv,
        upstream,
        exchange: workersExchange,
        clientAddress: () => '203.0.113.1',
        runtime: 'workers',
        coordinator: {
          call: async (request) => {
            callsTotal++;
            settleItems += request.settle?.length ?? 0;
            if (request.settle?.length) callsWithSettle++;
            const kind = kindOf(request);
            calls[kind] = (calls[kind] ?? 0) + 1;
            const before = core.rowsWritten;
            const answer = structuredClone(core.handle(structuredClone(request)));
            rows[kind] = (rows[kind] ?? 0) + core.rowsWritten - before;
            return answer;
          },
        },
      }),
    );
    const fetch = (i: number, path: string, init: RequestInit) =>
      apps[i].fetch(new Request(`https://cloudrouter.test${path}`, init), {}, ctx as never);
    const admin = async (path: string, body: unknown) => {
      const res = await fetch(0, `/admin/api${path}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (res.status !== 201) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { key: string };
    };
    // The admin's day: the pool and the client keys.
    const secrets = Array.from(
      { length: options.poolKeys },
      (_, n) => `sk-or-v1-${String(n).padStart(8, '0')}${'0123456789abcdef'.repeat(3)}`,
    );
    for (let n = 0; n < secrets.length; n += 900) await admin('/keys', { keys: secrets.slice(n, n + 900) });
    const keys: string[] = [];
    for (let n = 0; n < options.clients; n++)
      keys.push(
        (await admin('/client-keys', { name: `c${n}`, rpm: options.limits.rpm, cap: options.limits.cap }))
          .key,
      );

    // The day starts now: what the setup cost is not counted.
    for (const kind of Object.keys(calls)) delete calls[kind];
    for (const kind of Object.keys(rows)) delete rows[kind];
    callsTotal = 0;
    settleItems = 0;
    callsWithSettle = 0;
    const rowsBefore = core.rowsWritten;
    kvCount.writes = 0;
    kvCount.lists = 0;
    const adminCall = async (method: string, path: string, payload?: unknown) => {
      const res = await fetch(0, `/admin/api${path}`, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: payload === undefined ? undefined : JSON.stringify(payload),
      });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${method} ${path}: ${res.status}`);
    };
    const clientIds: string[] = [];
    {
      const res = await fetch(0, '/admin/api/client-keys', { headers: { authorization: `Bearer ${ADMIN}` } });
      for (const c of ((await res.json()) as { data: Array<{ id: string }> }).data) clientIds.push(c.id);
    }
    const rnd = random(options.seed);
    const arrivals = Array.from(
      { length: options.requests },
      () => start + 1000 + Math.floor(rnd() * (DAY - 2000)),
    ).sort((a, b) => a - b);
    let served = 0;
    let nextCron = start + CRON_MS;
    let nextAdmin = start + 30 * 60_000;
    const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] });
    const advanceTo = async (t: number) => {
      const now = Date.now();
      if (t > now) await vi.advanceTimersByTimeAsync(t - now);
    };
    for (const at of arrivals) {
      while (nextCron <= at) {
        await advanceTo(nextCron);
        const i = Math.floor(rnd() * options.isolates);
        await apps[i].services.runScheduled();
        nextCron += CRON_MS;
      }
      if (nextAdmin <= at) {
        await advanceTo(nextAdmin);
        await adminCall('GET', '/keys');
        await adminCall('GET', '/stats');
        await adminCall('PATCH', `/client-keys/${clientIds[Math.floor(rnd() * clientIds.length)]}`, {
          name: `renamed at ${nextAdmin}`,
        });
        nextAdmin += 60 * 60_000;
      }
      await advanceTo(at);
      const i = Math.floor(rnd() * options.isolates);
      const res = await fetch(i, '/v1/chat/completions', {
        method: 'POST',
        headers: {
          authorization: `Bearer ${keys[Math.floor(rnd() * keys.length)]}`,
          'content-type': 'application/json',
        },
        body,
      });
      await res.arrayBuffer();
      if (res.status === 200) served++;
    }
    await advanceTo(start + DAY);
    while (nextCron <= start + DAY) {
      await apps[Math.floor(rnd() * options.isolates)].services.runScheduled();
      nextCron += CRON_MS;
    }
    await vi.advanceTimersByTimeAsync(60_000);
    return {
      calls,
      rows,
      callsTotal,
      rowsWritten: core.rowsWritten - rowsBefore,
      kv: { ...kvCount },
      served,
      settleItems,
      callsWithSettle,
    };
  } finally {
    vi.useRealTimers();
  }
}
