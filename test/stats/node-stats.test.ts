import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, chatBody, type Harness, type Json, startHarness, upstreamKey } from '../proxy/harness';

// Stats, the recent-requests log, usage per client key and /metrics, through
// the real Node server: requests of two client keys over two upstream keys
// and two models, one of them failing.
let h: Harness;
let keyIds: string[];
let otherKey: string;
let otherId: string;
let failing: string;

beforeAll(async () => {
  // Rotation by request: its requests repeat one body, which by conversation would go to one key.
  h = await startHarness({ CONVERSATION_AFFINITY: 'false' });
  const good = [upstreamKey('s1'), upstreamKey('s2')];
  failing = upstreamKey('s429');
  h.mock.always(failing, { status: 429, headers: { 'retry-after': '1' } });
  keyIds = await h.addKeys(...good);
  const created = (await (await h.admin('POST', '/client-keys', { name: 'second' })).json()) as Json;
  otherKey = created.key;
  otherId = created.id;
  for (let i = 0; i < 6; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
  for (let i = 0; i < 3; i++) {
    const res = await h.post('/v1/chat/completions', chatBody({ model: 'anthropic/claude-3.5-sonnet' }), {
      auth: otherKey,
    });
    expect(res.status).toBe(200);
  }
  const streamed = await h.post(
    '/v1/chat/completions',
    chatBody({ stream: true, stream_options: { include_usage: true } }),
  );
  expect(streamed.status).toBe(200);
  await streamed.text();
  expect((await h.post('/v1/chat/completions', chatBody({ model: 'no/such-model' }))).status).toBe(400);
  // A failover: the rate-limited key first, then a good one.
  await h.addKeys(failing);
});
afterAll(() => h?.close());

async function json(path: string): Promise<Json> {
  const res = await h.admin('GET', path);
  expect(res.status, path).toBe(200);
  return (await res.json()) as Json;
}

describe('GET /admin/api/stats', () => {
  it('shows the requests in totals, in the chart, per model, per client key and per upstream key', async () => {
    const stats = await json('/stats?range=day');
    expect(stats).toMatchObject({ range: 'day', bucket_ms: 300_000 });
    expect(stats.to - stats.from).toBeGreaterThan(23 * 3600_000);
    expect(stats.totals).toMatchObject({
      requests: 11,
      success: 10,
      failed: 1,
      failures: { client_error: 1 },
    });
    expect(stats.totals.prompt_tokens).toBeGreaterThan(0);
    expect(stats.totals.completion_tokens).toBe(90);
    expect(stats.totals.latency_ms_avg).toEqual(expect.any(Number));
    expect(stats.totals.latency_ms_p95).toEqual(expect.any(Number));
    const charted = (stats.series as Json[]).reduce((n, p) => n + p.requests, 0);
    expect(charted).toBe(11);
    expect(Object.keys(stats.series.at(-1)).sort()).toEqual(
      [
        'completion_tokens',
        'cost',
        'failed',
        'failures',
        'latency_ms_avg',
        'prompt_tokens',
        'requests',
        'success',
        't',
      ].sort(),
    );
    const models = Object.fromEntries((stats.by_model as Json[]).map((m) => [m.model, m.requests]));
    expect(models).toEqual({ 'openai/gpt-4o-mini': 7, 'anthropic/claude-3.5-sonnet': 3, 'no/such-model': 1 });
    const clients = Object.fromEntries((stats.by_client as Json[]).map((c) => [c.name, c.requests]));
    expect(clients).toEqual({ tests: 8, second: 3 });
    const keys = stats.by_key as Json[];
    expect(keys.map((k) => k.id).sort()).toEqual([...keyIds].sort());
    expect(keys.reduce((n, k) => n + k.requests, 0)).toBe(11);
    expect(keys.every((k) => typeof k.hint === 'string' && k.hint.includes('…'))).toBe(true);
    expect((await json('/stats?range=week')).totals.requests).toBe(11);
    expect((await json('/stats?range=month')).series).toHaveLength(30);
    expect((await h.admin('GET', '/stats?range=year')).status).toBe(400);
  });

  it('counts each failed-over attempt against its key, and shows counts in the KeyView', async () => {
    const before = await h.keyViews();
    for (let i = 0; i < 4; i++) expect((await h.post('/v1/chat/completions', chatBody())).status).toBe(200);
    const stats = await json('/stats?range=day');
    const failingView = [...(await h.keyViews()).values()].find((k) => !keyIds.includes(k.id)) as Json;
    const row = (stats.by_key as Json[]).find((k) => k.id === failingView.id);
    expect(row?.failures).toMatchObject({ rate_limited: expect.any(Number) });
    expect(row?.success).toBe(0);
    expect(failingView.failures).toBe(row?.requests);
    const after = await h.keyViews();
    const served = keyIds.reduce((n, id) => n + after.get(id)?.requests - (before.get(id)?.requests ?? 0), 0);
    expect(served).toBe(4);
    expect(stats.totals.requests).toBe(15);
  });
});

describe('GET /admin/api/logs', () => {
  it('lists recent requests newest first, without prompts, filtered by status', async () => {
    const all = (await json('/logs?limit=100')).data as Json[];
    expect(all.length).toBeGreaterThanOrEqual(11);
    const times = all.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    const first = all.at(-1) as Json;
    expect(first).toMatchObject({
      client_name: 'tests',
      model: 'openai/gpt-4o-mini',
      resolved_model: 'openai/gpt-4o-mini',
      status: 200,
      attempts: 1,
      error_class: null,
    });
    expect(first.key_hint).toContain('…');
    expect(first.tries[0]).toMatchObject({ status: 200, error_class: null });
    expect(first.prompt_tokens).toBeGreaterThan(0);
    expect(JSON.stringify(all)).not.toContain('"Hi"');
    const streamed = all.find((e) => e.stream);
    expect(streamed?.completion_tokens).toBe(9);
    const errors = (await json('/logs?status=error')).data as Json[];
    expect(errors.length).toBeGreaterThanOrEqual(1);
    expect(errors.every((e) => e.error_class !== null)).toBe(true);
    expect((await json('/logs?limit=2')).data).toHaveLength(2);
    expect((await h.admin('GET', '/logs?limit=0')).status).toBe(400);
  });

  it('filters by client key, model (asked or resolved), upstream key tried, and status class', async () => {
    const other = (await json(`/logs?client=${otherId}`)).data as Json[];
    expect(other).toHaveLength(3);
    expect(other.every((e) => e.client_id === otherId)).toBe(true);
    const claude = (await json('/logs?model=anthropic/claude-3.5-sonnet')).data as Json[];
    expect(claude.map((e) => e.client_id)).toEqual([otherId, otherId, otherId]);
    expect((await json('/logs?status=4xx')).data.map((e: Json) => e.status)).toEqual([400]);
    // The rate-limited key never answered a request, but the requests that tried it show under it.
    const failingId = [...(await h.keyViews()).values()].find((k) => !keyIds.includes(k.id))?.id;
    const tried = (await json(`/logs?key=${failingId}`)).data as Json[];
    expect(tried.length).toBeGreaterThan(0);
    for (const e of tried) {
      expect(e.key_id).not.toBe(failingId);
      expect(e.tries[0]).toMatchObject({ key_id: failingId, status: 429, error_class: 'rate_limited' });
      expect(e.tries.at(-1)).toMatchObject({ status: 200, error_class: null });
    }
    expect((await h.admin('GET', '/logs?status=6xx')).status).toBe(400);
    expect((await h.admin('GET', `/logs?model=${'m'.repeat(400)}`)).status).toBe(400);
  });
});

describe('usage per client key', () => {
  it('shows requests, tokens and cost of today and this month in GET /admin/api/client-keys', async () => {
    const list = (await json('/client-keys')).data as Json[];
    const other = list.find((k) => k.id === otherId) as Json;
    expect(other.usage.today).toMatchObject({ requests: 3 });
    expect(other.usage.today.tokens).toBeGreaterThan(0);
    expect(other.usage.today.cost).toBeGreaterThan(0);
    expect(other.usage.month).toEqual(other.usage.today);
    expect((await json(`/client-keys/${otherId}`)).usage.today.requests).toBe(3);
  });

  it('stops a capped key once its daily tokens are spent, with a 429 that says so', async () => {
    const created = (await (
      await h.admin('POST', '/client-keys', { name: 'capped', cap: { period: 'day', tokens: 40 } })
    ).json()) as Json;
    const statuses: number[] = [];
    let refusal: Json | null = null;
    for (let i = 0; i < 5; i++) {
      const res = await h.post('/v1/chat/completions', chatBody(), { auth: created.key });
      statuses.push(res.status);
      if (res.status === 429) {
        refusal = (await res.json()) as Json;
        expect(res.headers.get('x-cloudrouter-attempts')).toBe('0');
      } else await res.text();
    }
    // 14 tokens a request: the fourth finds 42 used.
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(refusal?.error.message).toMatch(/daily spending cap/);
    expect(refusal?.error.code).toBe('spending_cap_reached');
  });
});

describe('GET /metrics', () => {
  it('answers Prometheus text behind the admin key', async () => {
    expect((await fetch(`${h.url}/metrics`)).status).toBe(401);
    const res = await fetch(`${h.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/plain');
    const text = await res.text();
    expect(text).toMatch(/^cloudrouter_requests_total\{outcome="success"\} \d+$/m);
    expect(text).toContain('cloudrouter_keys{status="active"}');
    expect(text).toContain('cloudrouter_request_duration_seconds_bucket{le="+Inf"}');
  });
});
