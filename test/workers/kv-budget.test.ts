import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Json, statsWorker, upstreamKey } from './stats-harness';

// 1,000 requests through the Worker over a simulated day (Date faked, the cron
// called every 5 minutes), counting every KV write against the arithmetic of
// docs/storage-schema.md: one isolate writes at most one 5-minute stats record per
// 5 minutes with traffic (288 a day), the roll-up one `sth:` and one `stu` per hour
// (24 + 24), each key's state when its health changes or once a day when checked,
// the catalogue when refreshed (every 6 hours). It counts the key pool's KV lists too:
// `key:` only after an admin change (at most twice) and every 6 hours, `ks:` every
// POOL_STATE_REFRESH_MS (15 minutes), against the free plan's 1,000 lists a day.
const HOUR = 60 * 60_000;
const MODELS = ['openai/gpt-4o-mini', 'anthropic/claude-3.5-sonnet'];

afterEach(() => {
  vi.useRealTimers();
});

describe('the KV write budget', () => {
  it('1,000 requests in a day stay within the documented writes, and stats and log show them', {
    timeout: 600_000,
  }, async () => {
    // Rotation by request: its requests repeat one body, which by conversation would go to one key.
    const w = statsWorker('budget', { CONVERSATION_AFFINITY: 'false' });
    const start = Math.floor(Date.now() / HOUR) * HOUR + 60_000;
    vi.useFakeTimers({ toFake: ['Date'], now: start });
    const secrets = [upstreamKey('b1'), upstreamKey('b2')];
    const keyIds = await w.addKeys(...secrets);
    const clients = [await w.clientKey({ name: 'alpha' }), await w.clientKey({ name: 'beta' })];
    await w.settle();
    w.writes.clear();
    w.lists.clear();

    const spacing = 82_000;
    let nextCron = start + 5 * 60_000;
    let crons = 0;
    for (let i = 0; i < 1000; i++) {
      const now = start + i * spacing;
      while (nextCron <= now) {
        vi.setSystemTime(nextCron);
        await w.cron();
        crons++;
        nextCron += 5 * 60_000;
      }
      vi.setSystemTime(now);
      const res = await w.chat(clients[i % 2].key, { model: MODELS[Math.floor(i / 2) % 2] });
      expect(res.status).toBe(200);
      await res.text();
      await w.settle();
    }
    const hours = Math.ceil((1000 * spacing) / HOUR);
    const stats5 = w.writes.get('st5') ?? 0;
    const budget = {
      st5: Math.ceil((1000 * spacing) / (5 * 60_000)) + 1,
      sth: hours + 1,
      stu: hours + 2,
      ks: secrets.length * 2,
      catalog: 5,
    };
    const allowed = Object.values(budget).reduce((a, b) => a + b, 0);
    console.log(
      `KV writes for 1,000 requests over ${hours} h with ${crons} cron runs:`,
      Object.fromEntries(w.writes),
      `total ${w.totalWrites()}, allowed ${allowed}`,
    );
    for (const [kind, count] of w.writes)
      expect(count, kind).toBeLessThanOrEqual(budget[kind as keyof typeof budget] ?? 0);
    expect(w.totalWrites()).toBeLessThanOrEqual(allowed);
    const day = 1000 * spacing;
    const poolLists = {
      key: 2 + Math.ceil(day / (6 * HOUR)),
      ks: 1 + Math.ceil(day / (15 * 60_000)),
    };
    const lists = Object.fromEntries(w.lists);
    console.log(`KV lists over the same ${hours} h:`, lists, 'allowed for the pool', poolLists);
    expect(lists.key ?? 0).toBeLessThanOrEqual(poolLists.key);
    expect(lists.ks ?? 0).toBeLessThanOrEqual(poolLists.ks);
    // Before `keys:v`, each refresh (one a request here, 82 s apart) listed both prefixes.
    expect((lists.key ?? 0) + (lists.ks ?? 0)).toBeLessThan(200);
    // The stats were written as they went (not all at the end), in one record per 5 minutes.
    expect(stats5).toBeGreaterThan(250);

    const stats = await w.json('/stats?range=day');
    expect(stats.totals.requests).toBe(1000);
    const byClient = Object.fromEntries((stats.by_client as Json[]).map((c) => [c.name, c.requests]));
    expect(byClient).toEqual({ alpha: 500, beta: 500 });
    const byModel = Object.fromEntries((stats.by_model as Json[]).map((m) => [m.model, m.requests]));
    expect(byModel).toEqual({ [MODELS[0]]: 500, [MODELS[1]]: 500 });
    expect((stats.by_key as Json[]).map((k) => k.id).sort()).toEqual([...keyIds].sort());
    expect((stats.by_key as Json[]).reduce((n, k) => n + k.requests, 0)).toBe(1000);
    expect((stats.series as Json[]).reduce((n, p) => n + p.requests, 0)).toBe(1000);
    expect((await w.json('/stats?range=week')).totals.requests).toBe(1000);

    const log = (await w.json('/logs?limit=1000')).data as Json[];
    expect(log).toHaveLength(1000);
    expect(new Set(log.map((e) => e.client_name))).toEqual(new Set(['alpha', 'beta']));
    expect(new Set(log.map((e) => e.resolved_model))).toEqual(new Set(MODELS));
    expect(log[0].time > log[999].time).toBe(true);
    const views = await w.keyViews();
    expect(keyIds.reduce((n, id) => n + (views.get(id)?.requests ?? 0), 0)).toBe(1000);
    await w.settle();
  });
});

describe('spending caps on Workers', () => {
  it('stop a capped client key after its cap', async () => {
    const w = statsWorker('caps');
    await w.addKeys(upstreamKey('cap'));
    const capped = await w.clientKey({ name: 'capped', cap: { period: 'day', tokens: 40 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await w.chat(capped.key);
      statuses.push(res.status);
      const body = (await res.json()) as Json;
      if (res.status === 429) expect(body.error.message).toMatch(/daily spending cap/);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const list = (await w.json('/client-keys')).data as Json[];
    expect(list.find((k) => k.id === capped.id)?.usage.today).toMatchObject({ requests: 3, tokens: 42 });
    await w.settle();
  });
});
